import type { TargetProof } from '../verify/prove-targets'
import { verifyTargets } from '../verify/verify-targets'
import type { Step } from './step'

/**
 * Read-only: proves every pin on every target of the site from the mirror's own index
 * (engine/verify/). Its proof, the pins × targets matrix, is what the CLI and the app show; a
 * failing needed cell fails the step with that matrix kept as its proof.
 */
export const verifyMirrorStep: Step<undefined, TargetProof> = {
  id: 'verify',
  title: 'Prove the mirror works on every target',
  async plan() {
    return {
      changes: [],
      notes: [
        "Every pin on every target (pythonVersions × platforms × architectures), from the mirror's index: its project pages, then a HEAD of each file pip would take",
      ],
    }
  },
  verify: verifyTargets,
}
