import type { HostFacts } from '../remote/facts'
import { runSteps, type RunEvent, type RunMode, type RunSummary } from '../run'
import type { Site } from '../site'
import type { RemoteHost } from '../ssh/remote-host'
import type { Change, Finding, Step } from '../steps/step'
import { isPrunePlan } from '../prune/prune-action'
import type { PruneTargets } from '../prune/prune-targets'
import { isUpdatePinsPlan } from '../update/update-action'
import type { UpdatePlan } from '../update/update-plan'

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

/** A dashboard action: steps run by the step runner, so it is planned, applied and verified. */
export interface SiteAction {
  id: ActionId
  title: string
  /** The site the action works on (add packages: the site with the new requirements). */
  site: Site
  steps: readonly Step[]
  from?: string
  to?: string
  /** The exact paths the action deletes, read from the host (remove the mirror). */
  deletes?: (host: RemoteHost) => Promise<string[]>
  /** Checked before anything runs (remove the mirror: the typed host name). */
  precondition?: () => void
}

export interface ActionOptions {
  /** Every event of the run, for the log view and the history recorder. */
  emit?: (event: RunEvent) => void
  signal?: AbortSignal
  /** Facts already gathered (saves the probe). */
  facts?: HostFacts
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

/** What an action would do, shown before it runs. */
export interface ActionPlan {
  action: ActionId
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
}

export interface ActionOutcome {
  action: ActionId
  summary: RunSummary
  /** The site after the action: save it (add packages changes the requirements). */
  site: Site
}

/** What running an action's steps gave: the summary, each step's plan, the findings. */
export interface ActionStepsRun {
  summary: RunSummary
  steps: PlannedStep[]
  findings: Finding[]
}

/**
 * Runs the action's steps in plan or apply mode (apply plans each step again, applies, verifies),
 * collecting each step's plan and the findings as they come.
 */
export async function runActionSteps(
  host: RemoteHost,
  action: Pick<SiteAction, 'site' | 'steps' | 'from' | 'to'>,
  mode: RunMode,
  options: ActionOptions = {},
): Promise<ActionStepsRun> {
  const steps: PlannedStep[] = []
  const findings: Finding[] = []
  const titles = new Map(action.steps.map((s) => [s.id, s.title]))
  const summary = await runSteps(
    action.steps,
    host,
    action.site,
    {
      mode,
      ...(action.from ? { from: action.from } : {}),
      ...(action.to ? { to: action.to } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.facts ? { facts: options.facts } : {}),
    },
    (event) => {
      if (event.type === 'plan')
        steps.push({
          id: event.step,
          title: titles.get(event.step) ?? event.step,
          changes: event.plan.changes,
          notes: event.plan.notes,
          ...(isUpdatePinsPlan(event.plan) ? { update: event.plan.update } : {}),
          ...(isPrunePlan(event.plan) ? { prune: event.plan.prune } : {}),
        })
      if (event.type === 'finding') findings.push(event.finding)
      options.emit?.(event)
    },
  )
  return { summary, steps, findings }
}

/** Plans the action: runs every step's plan, touches nothing. */
export async function planAction(
  host: RemoteHost,
  action: SiteAction,
  options: ActionOptions = {},
): Promise<ActionPlan> {
  const { summary, steps, findings } = await runActionSteps(host, action, 'plan', options)
  const deletes = summary.status === 'failed' || !action.deletes ? [] : await action.deletes(host)
  return {
    action: action.id,
    title: action.title,
    host: host.label,
    steps,
    changeCount: steps.reduce((n, s) => n + s.changes.length, 0),
    deletes,
    findings,
    error: summary.status === 'failed' ? (summary.error ?? 'planning failed') : null,
  }
}

/** Applies the action (each step plans again, applies, verifies) and reports how it went. */
export async function applyAction(
  host: RemoteHost,
  action: SiteAction,
  options: ActionOptions = {},
): Promise<ActionOutcome> {
  action.precondition?.()
  const { summary } = await runActionSteps(host, action, 'apply', options)
  return { action: action.id, summary, site: action.site }
}
