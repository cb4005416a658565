import { runFleet, type Connect, type FleetEvent, type FleetJob, type FleetSummary } from '../fleet'
import type { HostPlan } from '../plan/host-plan'
import type { RunMode } from '../run'
import type { Site } from '#shared/site'
import type { Step } from '../steps/step'
import { mirrorAccessLog } from './mirror-access-log'
import { workerStatusNotes, workerSteps } from './worker-steps'
import { workerTargets, type WorkerTarget } from '#shared/worker-target'

export interface WorkerFleetOptions {
  /** Worker hosts set up at once (default 4). */
  concurrency?: number
  signal?: AbortSignal
  /** Only these workers (labels as in the status lines); all when absent. */
  only?: readonly string[]
  /** Apply: each worker's approved plan, by label; a worker is then planned no more. */
  plans?: ReadonlyMap<string, HostPlan>
}

/**
 * The fleet jobs for the site's workers, each with the steps `stepsFor` gives it and its status
 * line's notes taken from its run (workerStatusNotes).
 */
export function workerJobs(
  site: Site,
  stepsFor: (target: WorkerTarget) => Step[],
  only?: readonly string[],
): FleetJob[] {
  return workerTargets(site)
    .filter((target) => !only || only.includes(target.label))
    .map((target) => ({
      label: target.label,
      target: target.worker.ssh,
      site,
      steps: stepsFor(target),
      statusNotes: (summary) => workerStatusNotes(target, summary),
    }))
}

async function runWorkers(
  site: Site,
  connect: Connect,
  mode: RunMode,
  options: WorkerFleetOptions,
  emit: (event: FleetEvent) => void,
): Promise<FleetSummary> {
  const plans = options.plans
  // Every worker's proof reads the mirror's access log over one connection to the mirror host.
  const access = mode === 'apply' ? mirrorAccessLog(site, connect) : null
  const mirrorLog = access ? { mirrorLog: access.log } : {}
  const jobs = workerJobs(site, (target) => workerSteps(target, mirrorLog), options.only).map(
    (job) => {
      const plan = plans?.get(job.label)
      return plan ? { ...job, plan } : job
    },
  )
  try {
    return await runFleet(
      jobs,
      connect,
      {
        mode,
        ...(options.concurrency ? { concurrency: options.concurrency } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      },
      emit,
    )
  } finally {
    access?.close()
  }
}

/** Sets up every worker of the site (init, pip_mirror, sandboxes, requirements, start, proof), hosts in parallel. */
export function applyWorkers(
  site: Site,
  connect: Connect,
  options: WorkerFleetOptions,
  emit: (event: FleetEvent) => void,
): Promise<FleetSummary> {
  return runWorkers(site, connect, 'apply', options, emit)
}

/** What applyWorkers would change on every worker (commands and file diffs), changing nothing. */
export function planWorkers(
  site: Site,
  connect: Connect,
  options: WorkerFleetOptions,
  emit: (event: FleetEvent) => void,
): Promise<FleetSummary> {
  return runWorkers(site, connect, 'plan', options, emit)
}
