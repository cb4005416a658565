import type { SiteHealth } from '../engine/health/site-health'
import type { ScheduleStatus } from '../engine/schedule/schedule-status'
import type { ActionPlanView, ErrorView, ScheduleStatusView, SiteHealthView } from '../ipc-contract'
import type { ActionPlan } from '../engine/actions/site-action'
import type { DashboardJob } from './dashboard-job'
import { changeView, findingView } from './engine-views'

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
  planned: ActionPlan | null,
  error: ErrorView | null,
): ActionPlanView {
  const steps = (planned?.steps ?? []).map((plan) => ({
    id: plan.id,
    title: plan.title,
    changes: plan.changes.map(changeView),
    notes: plan.notes,
  }))
  return {
    action: job.action,
    title: job.title,
    host,
    steps,
    changeCount: steps.reduce((count, step) => count + step.changes.length, 0),
    deletes: planned?.deletes ?? [],
    findings: (planned?.findings ?? []).map(findingView),
    error: error ?? (planned?.error ? { message: planned.error } : null),
  }
}
