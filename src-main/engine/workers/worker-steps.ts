import type { Step } from '../steps/step'
import { workerConfigStep } from '../steps/worker-config'
import { workerInitStep } from '../steps/worker-init'
import { workerMirrorStep } from '../steps/worker-mirror'
import { workerRequirementsStep } from '../steps/worker-requirements'
import { workerStartStep } from '../steps/worker-start'
import { workerToolsStep } from '../steps/worker-tools'
import type { WorkerTarget } from './worker-target'

/**
 * A worker's setup, in order: refuse an unusable pip_mirror before touching anything, create the
 * worker directory, point config.json at the mirror, compile and prove the requirements, start.
 */
export function workerSteps(target: WorkerTarget): Step[] {
  return [
    workerMirrorStep(target),
    workerInitStep(target),
    workerConfigStep(target),
    workerToolsStep(),
    workerRequirementsStep(target),
    workerStartStep(target),
  ]
}
