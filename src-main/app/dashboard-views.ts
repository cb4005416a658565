import type { SiteHealth } from '../engine/health/site-health'
import type { ScheduleStatus } from '../engine/schedule/schedule-status'
import type { ActionPlanView, ErrorView, ScheduleStatusView, SiteHealthView } from '../ipc-contract'
import type { ActionStepsRun } from '../engine/actions/site-action'
import type { DashboardJob } from './dashboard-job'
import { changeView, errorViewOfText, findingView } from './engine-views'
import { pruneView, updatePlanView } from './audit-views'

/*
 * The dashboard's engine values as the renderer is sent them. The plain returns are the
 * compile-time proof that the renderer-safe schemas in ipc-dashboard-schemas.ts still fit.
 */

export function siteHealthView(health: SiteHealth): SiteHealthView {
  return health
}

export function scheduleStatusView(status: ScheduleStatus): ScheduleStatusView {
  return status
}

export function actionPlanView(
  job: DashboardJob,
  host: string,
  run: ActionStepsRun | null,
  deletes: string[],
  error: ErrorView | null,
): ActionPlanView {
  const steps = (run?.steps ?? []).map((plan) => ({
    id: plan.id,
    title: plan.title,
    changes: plan.changes.map(changeView),
    notes: plan.notes,
  }))
  const failed = run?.summary.status === 'failed'
  const update = run?.steps.find((step) => step.update)?.update
  const prune = run?.steps.find((step) => step.prune)?.prune
  return {
    action: job.action,
    title: job.title,
    host,
    steps,
    changeCount: steps.reduce((count, step) => count + step.changes.length, 0),
    deletes,
    findings: (run?.findings ?? []).map(findingView),
    error:
      error ??
      (failed ? errorViewOfText(run?.summary.error ?? 'The plan could not be made') : null),
    update: update ? updatePlanView(update) : null,
    prune: prune ? pruneView(prune) : null,
  }
}
