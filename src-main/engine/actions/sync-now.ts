import type { Site } from '../site'
import { requireMirrorConfig } from '../schedule/require-mirror'
import { mirrorLayout } from '../steps/mirror-layout'
import { MIRROR_STEPS } from '../steps/mirror-steps'
import type { Step } from '../steps/step'
import { syncStep } from '../steps/sync'
import { detachedSyncArgv } from '../sync/sync-job'
import type { SiteAction } from './site-action'

/**
 * The sync step, made to run even when the mirror already holds its current inputs: what the
 * upstream published since the last sync (new files of the pinned releases) comes in. A sync
 * already running (the schedule's) is reattached to, never doubled.
 */
export const forcedSyncStep: Step = {
  id: syncStep.id,
  title: 'Sync the mirror now',
  check: (ctx) => syncStep.check(ctx),
  async plan(ctx) {
    const layout = mirrorLayout(ctx.site.mirror)
    await requireMirrorConfig(ctx, layout)
    const plan = await syncStep.plan(ctx)
    if (plan.changes.length > 0) return plan
    const { argv, sudo } = detachedSyncArgv(layout, await ctx.facts())
    return {
      changes: [
        {
          kind: 'command',
          summary:
            'Run `bandersnatch mirror` detached now: it fetches what the upstream changed since the last sync',
          argv,
          sudo,
        },
      ],
      notes: plan.notes,
    }
  },
  apply: (ctx, plan) => syncStep.apply(ctx, plan),
  verify: (ctx) => syncStep.verify(ctx),
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
