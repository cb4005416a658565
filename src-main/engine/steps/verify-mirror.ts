import { proveTargets } from '../verify/prove-targets'
import { verifyTargets } from '../verify/verify-targets'
import type { Step } from './step'

/** Proves every pin on every target of the site from the mirror's own index (engine/verify/). */
export const verifyMirrorStep: Step = {
  id: 'verify',
  title: 'Prove the mirror works on every target',
  async check(ctx) {
    const { matrix } = await proveTargets(ctx.host, ctx.site.mirror)
    return {
      done: matrix.failures === 0,
      summary: `${matrix.rows.length} pins on ${matrix.targets.length} targets: ${matrix.failures} failing cells`,
    }
  },
  async plan() {
    return {
      changes: [],
      notes: [
        "Every pin on every target (pythonVersions × platforms × architectures), from the mirror's index: its project pages, then a HEAD of each file pip would take",
      ],
    }
  },
  async apply() {},
  async verify(ctx) {
    await verifyTargets(ctx)
  },
}
