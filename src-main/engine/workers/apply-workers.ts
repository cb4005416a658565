import { runFleet, type Connect, type FleetEvent, type FleetJob, type FleetSummary } from '../fleet'
import type { RunMode } from '../run'
import type { Site } from '../site'
import type { Step } from '../steps/step'
import { MIRROR_ACCESS_LOG } from '../steps/worker-proof'
import { mirrorAccessLog } from './mirror-access-log'
import { workerSteps } from './worker-steps'
import { workerTargets, type WorkerTarget } from './worker-target'

export interface WorkerFleetOptions {
  /** Worker hosts set up at once (default 4). */
  concurrency?: number
  signal?: AbortSignal
  /** Only these workers (labels as in the status lines); all when absent. */
  only?: readonly string[]
}

/** The fleet jobs for the site's workers, each with the steps `stepsFor` gives it. */
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
    }))
}

async function runWorkers(
  site: Site,
  connect: Connect,
  mode: RunMode,
  options: WorkerFleetOptions,
  emit: (event: FleetEvent) => void,
): Promise<FleetSummary> {
  // Every worker's proof reads the mirror's access log over one connection to the mirror host.
  const access = mode === 'apply' ? mirrorAccessLog(site, connect) : null
  const jobs = workerJobs(site, workerSteps, options.only).map((job) => ({
    ...job,
    shared: new Map<string, unknown>(access ? [[MIRROR_ACCESS_LOG, access.log]] : []),
  }))
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
