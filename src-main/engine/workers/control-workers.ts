import { runFleet, type Connect, type FleetEvent, type FleetSummary } from '../fleet'
import type { Site } from '#shared/site'
import { workerRestartStep, workerStopStep } from '../steps/worker-control'
import { workerStartStep } from '../steps/worker-start'
import { workerJobs, type WorkerFleetOptions } from './apply-workers'

export type WorkerControl = 'start' | 'stop' | 'restart'

const STEPS = {
  start: workerStartStep,
  stop: workerStopStep,
  restart: workerRestartStep,
} as const

/** Starts, stops or restarts the site's workers (`ol worker up -d` / `down`), hosts in parallel. */
export function controlWorkers(
  site: Site,
  connect: Connect,
  action: WorkerControl,
  options: WorkerFleetOptions,
  emit: (event: FleetEvent) => void,
): Promise<FleetSummary> {
  return runFleet(
    workerJobs(site, (target) => [STEPS[action](target)], options.only),
    connect,
    {
      mode: 'apply',
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    },
    emit,
  )
}
