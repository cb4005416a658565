import { EngineError, errorValue } from '../../engine/errors'
import type { Connect, FleetEvent, FleetSummary } from '../../engine/fleet'
import type { HostPlan } from '../../engine/plan/host-plan'
import type { RunMode } from '../../engine/run'
import { applyWorkers, planWorkers, workerTargets } from '../../engine/workers'
import type { JobResult, WorkersJob } from './job'

export interface WorkersRun {
  runId: string
  mode: RunMode
  signal: AbortSignal
  emit(event: FleetEvent): void
}

/**
 * The site's workers through the engine's fleet (several hosts at once, each over its own
 * connection): a plan run keeps each host's plan on show, an apply run executes exactly those
 * plans, and is refused if any worker has none. Never throws.
 */
export async function runWorkersJob(
  job: WorkersJob,
  run: WorkersRun,
  approved: ReadonlyMap<string, HostPlan> | undefined,
): Promise<JobResult> {
  /** The step each worker is on, by the address its commands report. */
  const stepOf = new Map<string, string>()
  const labelOf = new Map<string, string>()
  const connect: Connect = async (target) => {
    const host = await job.connect(target)
    job.watch?.(host, () => stepOf.get(host.label) ?? 'connect')
    return host
  }
  const forward = (event: FleetEvent): void => {
    if (event.type === 'fleet-host') {
      const inner = event.event
      if (inner.type === 'run-started') labelOf.set(inner.host, event.host)
      if (inner.type === 'step-started')
        for (const [address, label] of labelOf)
          if (label === event.host) stepOf.set(address, inner.step)
    }
    run.emit(event)
  }
  const ended = (summary: FleetSummary | null): JobResult => ({
    runId: run.runId,
    mode: run.mode,
    status: summary?.status ?? 'failed',
    error: null,
    failedStep: null,
    summary: null,
    fleet: summary,
    historyId: null,
  })
  try {
    const options = { signal: run.signal }
    if (run.mode === 'plan') {
      const summary = await planWorkers(job.site, connect, options, forward)
      job.shown.plans.keep(
        job.shown.key,
        job.shown.request,
        new Map(
          summary.hosts.flatMap((host) =>
            host.summary?.plan && !host.summary.plan.error
              ? [[host.host, host.summary.plan] as const]
              : [],
          ),
        ),
      )
      return ended(summary)
    }
    const unplanned = workerTargets(job.site)
      .map((target) => target.label)
      .filter((label) => !approved?.has(label))
    if (unplanned.length > 0)
      throw new EngineError(`Nothing was run: no plan is shown for ${unplanned.join(', ')}`, {
        hint: 'plan the workers, read what will change on each, then apply that plan',
        code: 'no-plan',
      })
    return ended(
      await applyWorkers(
        job.site,
        connect,
        { ...options, ...(approved ? { plans: approved } : {}) },
        forward,
      ),
    )
  } catch (error) {
    return {
      ...ended(null),
      status: run.signal.aborted ? 'cancelled' : 'failed',
      error: errorValue(error),
    }
  }
}
