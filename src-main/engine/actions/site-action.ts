import { describeErrorValue } from '../errors'
import type { HostPlan } from '../plan/host-plan'
import { applyHostPlan } from '../plan/apply-host'
import { planSteps } from '../plan/plan-host'
import { failedRun, planSummary, type RunEvent, type RunSummary } from '../run'
import type { Site } from '#shared/site'
import type { RemoteHost } from '../ssh/remote-host'
import type { Change, Finding, Step } from '../steps/step'
import type { PruneTargets } from '../prune/prune-targets'
import type { UpdatePlan } from '../update/update-plan'
import { removeMirrorStep } from './remove-mirror'

export type ActionId =
  | 'sync-now'
  | 'add-packages'
  | 'restart-nginx'
  | 'update-bandersnatch'
  | 'remove-mirror'
  | 'set-schedule'
  | 'remove-schedule'
  | 'update'
  | 'prune'

/** A dashboard action: steps planned as one plan, which is shown, then executed as shown. */
export interface SiteAction {
  id: ActionId
  title: string
  /** The site the action works on (add packages: the site with the new requirements). */
  site: Site
  steps: readonly Step[]
  from?: string
  to?: string
  /** Checked before anything runs (remove the mirror: the typed host name). */
  precondition?: () => void
}

/** What planAction and applyAction need of an action (the dashboard adds its own beside these). */
export type PlannableAction = Omit<SiteAction, 'id'> & { id: string }

export interface ActionOptions {
  /** Every event of the run, for the log view and the history recorder. */
  emit?: (event: RunEvent) => void
  signal?: AbortSignal
}

export interface PlannedStep {
  id: string
  title: string
  changes: Change[]
  notes: string[]
  /** An update's plan as data (its pin diff and advisories), from the update-pins step. */
  update?: UpdatePlan
  /** What a prune deletes, as data, from its first step. */
  prune?: PruneTargets
}

/** What an action would do, shown before it runs; `plan` is what applyAction executes. */
export interface ActionPlan {
  action: string
  title: string
  host: string
  steps: PlannedStep[]
  /** How many changes in all; 0: the action would change nothing. */
  changeCount: number
  /** The exact paths it deletes (remove the mirror); empty for the other actions. */
  deletes: string[]
  findings: Finding[]
  /** Why the plan could not be made, for a person; null when it could. */
  error: string | null
  plan: HostPlan
}

export interface ActionOutcome {
  action: string
  summary: RunSummary
  /** The site after the action: save it (add packages changes the requirements). */
  site: Site
}

/** What an update's or a prune's step hands on, for the page (see UpdatePinsOutputs, PruneOutputs). */
function actionData(outputs: unknown): Pick<PlannedStep, 'update' | 'prune'> {
  const data = (outputs ?? {}) as { update?: UpdatePlan; prune?: PruneTargets }
  return {
    ...(data.update ? { update: data.update } : {}),
    ...(data.prune ? { prune: data.prune } : {}),
  }
}

/** Plans the action: every step's plan from one read of the host, touching nothing. */
export async function planAction(
  host: RemoteHost,
  action: PlannableAction,
  options: ActionOptions = {},
): Promise<ActionPlan> {
  const plan = await planSteps(
    action.steps,
    host,
    action.site,
    { from: action.from, to: action.to, ...(options.signal ? { signal: options.signal } : {}) },
    (event) => options.emit?.(event),
  )
  return actionPlanOf(action, plan)
}

/** What an action's plan would do, as it is shown: its steps, what it deletes, what it found. */
export function actionPlanOf(
  action: Pick<PlannableAction, 'id' | 'title'>,
  plan: HostPlan,
): ActionPlan {
  const removal = plan.planned.find((step) => step.id === removeMirrorStep.id)
  const pruned = plan.planned.flatMap((step) => actionData(step.outputs).prune?.paths ?? [])
  return {
    action: action.id,
    title: action.title,
    host: plan.host,
    steps: plan.planned.map(({ id, title, changes, notes, outputs }) => ({
      id,
      title,
      changes,
      notes,
      ...actionData(outputs),
    })),
    changeCount: plan.planned.reduce((n, s) => n + s.changes.length, 0),
    deletes: plan.error
      ? []
      : [...((removal?.outputs as { paths?: string[] } | undefined)?.paths ?? []), ...pruned],
    findings: plan.planned.flatMap((step) => step.findings),
    error: plan.error ? describeErrorValue(plan.error) : null,
    plan,
  }
}

/**
 * Executes the plan the operator saw (made now when none is given, for callers that do not ask),
 * after the action's precondition; the host's state is checked against the plan first.
 */
export async function applyAction(
  host: RemoteHost,
  action: PlannableAction,
  options: ActionOptions & { plan?: HostPlan } = {},
): Promise<ActionOutcome> {
  action.precondition?.()
  const emit = options.emit ?? (() => undefined)
  const plan =
    options.plan ??
    (await planSteps(
      action.steps,
      host,
      action.site,
      { from: action.from, to: action.to, ...(options.signal ? { signal: options.signal } : {}) },
      (event) => {
        if (event.type === 'finding') emit(event)
      },
    ))
  const summary = plan.error
    ? planSummary(crypto.randomUUID(), plan)
    : await applyHostPlan(
        plan,
        action.steps,
        host,
        action.site,
        options.signal ? { signal: options.signal } : {},
        emit,
      ).catch((error: unknown) => failedRun(crypto.randomUUID(), plan.steps, error))
  return { action: action.id, summary, site: action.site }
}
