import type { Step } from '../steps/step'
import { workerConfigStep } from '../steps/worker-config'
import { workerInitStep } from '../steps/worker-init'
import { workerMirrorStep } from '../steps/worker-mirror'
import { workerProofStep } from '../steps/worker-proof'
import { workerRequirementsStep } from '../steps/worker-requirements'
import { workerSandboxStep } from '../steps/worker-sandbox'
import { workerStartStep } from '../steps/worker-start'
import { workerToolsStep } from '../steps/worker-tools'
import type { WorkerTarget } from './worker-target'

/**
 * A worker's setup, in order: refuse an unusable pip_mirror before touching anything, create the
 * worker directory, point config.json (and, where this OpenLambda ignores pip_mirror, the
 * sandboxes' pip.conf) at the mirror, compile and prove the requirements, start, then prove from
 * the mirror's log that the sandboxes install from it.
 */
export function workerSteps(target: WorkerTarget): Step[] {
  return [
    workerMirrorStep(target),
    workerInitStep(target),
    workerConfigStep(target),
    workerSandboxStep(target),
    workerToolsStep(),
    workerRequirementsStep(target),
    workerStartStep(target),
    workerProofStep(target),
  ]
}
