import { outputOf, proofOf } from '../plan/step-values'
import type { RunSummary } from '../run'
import type { Step } from '../steps/step'
import { workerConfigStep } from '../steps/worker-config'
import { workerInitStep } from '../steps/worker-init'
import { workerMirrorStep } from '../steps/worker-mirror'
import { workerProofStep } from '../steps/worker-proof'
import { workerRequirementsStep } from '../steps/worker-requirements'
import { sandboxStatusNotes, workerSandboxStep } from '../steps/worker-sandbox'
import { workerStartStep } from '../steps/worker-start'
import { workerToolsStep } from '../steps/worker-tools'
import type { MirrorAccessLog } from './mirror-access-log'
import type { WorkerTarget } from '#shared/worker-target'

export interface WorkerStepsOptions {
  /**
   * The mirror host's nginx access log, where the proof finds the worker's own request; without
   * it the proof says it was not attempted (a plan needs none).
   */
  mirrorLog?: MirrorAccessLog
}

/**
 * A worker's setup, in order: refuse an unusable pip_mirror before touching anything, create the
 * worker directory, point config.json (and, where this OpenLambda ignores pip_mirror, the
 * sandboxes' pip.conf) at the mirror, compile and prove the requirements, start, then prove from
 * the mirror's log that the sandboxes install from it.
 */
export function workerSteps(target: WorkerTarget, options: WorkerStepsOptions = {}): Step[] {
  return [
    workerMirrorStep(target),
    workerInitStep(target),
    workerConfigStep(target),
    workerSandboxStep(target),
    workerToolsStep(),
    workerRequirementsStep(target),
    workerStartStep(target),
    workerProofStep(target, options.mirrorLog),
  ]
}

/**
 * What a worker's status line says besides its changes: which OpenLambda it runs and its
 * sandboxes' Python (the sandbox step's outputs and proof), then whether installs from the mirror are
 * proven (the proof step's proof, also when it failed).
 */
export function workerStatusNotes(target: WorkerTarget, summary: RunSummary): string[] {
  const sandbox = workerSandboxStep(target)
  const proof = proofOf(summary, workerProofStep(target))
  return [
    ...sandboxStatusNotes(outputOf(summary.plan, sandbox), proofOf(summary, sandbox)),
    ...(proof ? [proof.note] : []),
  ]
}
