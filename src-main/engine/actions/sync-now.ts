import type { Site } from '#shared/site'
import { fileRead } from '../plan/state-request'
import { requireMirrorConfig } from '../schedule/require-mirror'
import { mirrorLayout } from '../steps/mirror-layout'
import { MIRROR_STEPS } from '../steps/mirror-steps'
import type { Step } from '../steps/step'
import { planSync, syncReads, syncStep, verifyIndexPages } from '../steps/sync'
import type { SiteAction } from './site-action'

/**
 * The sync step, made to run even when the mirror already holds its current inputs: what the
 * upstream published since the last sync (new files of the pinned releases) comes in. A sync
 * already running (the schedule's) is reattached to, never doubled.
 */
export const forcedSyncStep: Step = {
  id: syncStep.id,
  title: 'Sync the mirror now',
  reads: (site) => [...syncReads(site), fileRead(mirrorLayout(site.mirror).conf)],
  async plan(ctx) {
    requireMirrorConfig(ctx.state, mirrorLayout(ctx.site.mirror), ctx.host.label)
    return planSync(ctx, true)
  },
  verify: verifyIndexPages,
}

/** Sync now, then prove the mirror serves every pin (the sync, nginx and verify steps). */
export function syncNowAction(site: Site): SiteAction {
  return {
    id: 'sync-now',
    title: 'Sync now',
    site,
    steps: MIRROR_STEPS.map((step) => (step.id === syncStep.id ? forcedSyncStep : step)),
    from: syncStep.id,
  }
}
