import type { SiteHealth } from '../engine/health/site-health'
import type { ScheduleStatus } from '../engine/schedule/schedule-status'
import type { ActionPlanView, ErrorView, ScheduleStatusView, SiteHealthView } from '../ipc-contract'
import type { ActionStepsRun } from '../engine/actions/site-action'
import type { DashboardJob } from './dashboard-job'
import { printableDeep } from '../engine/printable'
import { changeView, errorViewOfText, findingView } from './engine-views'

/*
 * The dashboard's engine values as the renderer is sent them, host text printable only (see
 * engine-views.ts). The returns are the compile-time proof that the renderer-safe schemas in
 * ipc-dashboard-schemas.ts still fit.
 */

export function siteHealthView(health: SiteHealth): SiteHealthView {
  return printableDeep(health)
}

export function scheduleStatusView(status: ScheduleStatus): ScheduleStatusView {
  return printableDeep(status)
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
    notes: printableDeep(plan.notes),
  }))
  const failed = run?.summary.status === 'failed'
  return {
    action: job.action,
    title: job.title,
    host,
    steps,
    changeCount: steps.reduce((count, step) => count + step.changes.length, 0),
    deletes: printableDeep(deletes),
    findings: (run?.findings ?? []).map(findingView),
    error:
      error ??
      (failed ? errorViewOfText(run?.summary.error ?? 'The plan could not be made') : null),
  }
}
