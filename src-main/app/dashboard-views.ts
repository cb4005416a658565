import type { SiteHealth } from '../engine/health/site-health'
import type { ScheduleStatus } from '../engine/schedule/schedule-status'
import type {
  ActionPlanView,
  ErrorView,
  ScheduleStatusView,
  SiteHealthView,
} from '#shared/ipc/contract'
import type { ActionPlan } from '../engine/actions/site-action'
import type { DashboardJob } from './dashboard-job'
import { printableDeep } from '../engine/printable'
import { planFailure } from '../engine/run'
import { changeView, errorViewOf, findingView } from './engine-views'
import { pruneView, updatePlanView } from './audit-views'

/*
 * The dashboard's engine values as the renderer is sent them, host text printable only (see
 * engine-views.ts). The returns are the compile-time proof that the renderer-safe schemas in
 * src-shared/ipc/dashboard-schemas.ts still fit.
 */

export function siteHealthView(health: SiteHealth): SiteHealthView {
  return printableDeep(health)
}

export function scheduleStatusView(status: ScheduleStatus): ScheduleStatusView {
  return printableDeep(status)
}

/** Why the action could not be planned, as the engine said it (what, where, what to do). */
function planErrorView(planned: ActionPlan | null): ErrorView | null {
  const failure = planned ? planFailure(planned.plan).failure : undefined
  return failure ? errorViewOf(failure) : null
}

export function actionPlanView(
  job: Pick<DashboardJob, 'action' | 'title'>,
  host: string,
  planned: ActionPlan | null,
  error: ErrorView | null,
): ActionPlanView {
  const steps = (planned?.steps ?? []).map((plan) => ({
    id: plan.id,
    title: plan.title,
    changes: plan.changes.map(changeView),
    notes: printableDeep(plan.notes),
  }))
  const update = planned?.steps.find((step) => step.update)?.update
  const prune = planned?.steps.find((step) => step.prune)?.prune
  return {
    action: job.action,
    title: job.title,
    host,
    steps,
    changeCount: steps.reduce((count, step) => count + step.changes.length, 0),
    deletes: printableDeep(planned?.deletes ?? []),
    findings: (planned?.findings ?? []).map(findingView),
    error: error ?? planErrorView(planned),
    update: update ? updatePlanView(update) : null,
    prune: prune ? pruneView(prune) : null,
  }
}
