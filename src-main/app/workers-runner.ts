import { EngineError } from '../engine/errors'
import type { Connect, FleetEvent, FleetSummary } from '../engine/fleet'
import type { HostPlan } from '../engine/plan/host-plan'
import type { RunMode } from '../engine/run'
import type { Site } from '#shared/site'
import { applyWorkers, planWorkers, workerTargets } from '../engine/workers'
import type { FleetEventViewInput, StageRecord } from '#shared/ipc/contract'
import { errorView, fleetEventView, planView } from './engine-views'
import type { RecordedAction } from '../app-data/recorded-action'
import { recordHostActions } from './recorded-commands'
import { newRecord } from './stage-runner'

export interface WorkersRun {
  runId: string
  mode: RunMode
  site: Site
  signal: AbortSignal
  /** Opens a connection to one worker host (with its secrets and the trusted keys). */
  connect: Connect
  emit(event: FleetEventViewInput): void
  record(action: RecordedAction): void
  /** Every fleet event, for the activity history. */
  history?(event: FleetEvent): void
  /** The plans the page shows (kept by a plan run, executed by the apply run). */
  shown: ShownPlans
}

/** The plans a page shows, by host label: what its apply executes and nothing else. */
export interface ShownPlans {
  get(): ReadonlyMap<string, HostPlan> | undefined
  set(plans: ReadonlyMap<string, HostPlan>): void
  clear(): void
}

/**
 * Plans or applies every worker of the site through the engine's fleet (several hosts at once,
 * each over its own connection), recording each host's commands and plans. Never throws.
 */
export async function runWorkersStage(run: WorkersRun): Promise<StageRecord> {
  const record = newRecord({ runId: run.runId, stage: 'workers', mode: run.mode })
  const plans: NonNullable<StageRecord['fleet']>['plans'] = []
  /** The step each worker is on, by the address its commands report. */
  const stepOf = new Map<string, string>()
  const labelOf = new Map<string, string>()
  const now = (): string => new Date().toISOString()

  const connect: Connect = async (target) => {
    const host = await run.connect(target)
    recordHostActions(host, 'workers', () => stepOf.get(host.label) ?? 'connect', run.record)
    return host
  }

  const forward = (event: FleetEvent): void => {
    if (event.type === 'fleet-host') {
      const inner = event.event
      if (inner.type === 'run-started') labelOf.set(inner.host, event.host)
      if (inner.type === 'step-started')
        for (const [address, label] of labelOf)
          if (label === event.host) stepOf.set(address, inner.step)
      if (inner.type === 'plan')
        plans.push({ host: event.host, step: inner.step, plan: planView(inner.plan) })
      if (inner.type === 'finding') record.findings.push(inner.finding)
    }
    run.history?.(event)
    run.emit(fleetEventView(event))
  }

  try {
    const options = { signal: run.signal }
    let summary: FleetSummary
    if (run.mode === 'plan') {
      summary = await planWorkers(run.site, connect, options, forward)
      run.shown.set(
        new Map(
          summary.hosts.flatMap((host) =>
            host.summary?.plan && !host.summary.plan.error
              ? [[host.host, host.summary.plan] as const]
              : [],
          ),
        ),
      )
    } else {
      const shown = run.shown.get()
      const unplanned = workerTargets(run.site)
        .map((target) => target.label)
        .filter((label) => !shown?.has(label))
      if (unplanned.length > 0)
        throw new EngineError(`Nothing was run: no plan is shown for ${unplanned.join(', ')}`, {
          hint: 'plan the workers, read what will change on each, then apply that plan',
          code: 'no-plan',
        })
      run.shown.clear()
      summary = await applyWorkers(
        run.site,
        connect,
        { ...options, ...(shown ? { plans: shown } : {}) },
        forward,
      )
    }
    record.status = summary.status
    record.fleet = {
      mode: summary.mode,
      status: summary.status,
      hosts: summary.hosts.map(({ summary: _run, ...host }) => host),
      plans,
    }
    const failed = summary.hosts.filter((host) => host.state === 'failed')
    if (failed.length > 0)
      record.error = {
        message: `${failed.length} of ${summary.hosts.length} workers failed: ${failed.map((host) => host.host).join(', ')}`,
        hint: 'each worker’s line in the list says what failed there and what to do',
      }
  } catch (error) {
    record.status = run.signal.aborted ? 'cancelled' : 'failed'
    record.error = errorView(error)
  }
  record.finishedAt = now()
  return record
}
