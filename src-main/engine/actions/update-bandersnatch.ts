import { EngineError } from '../errors'
import type { Site } from '#shared/site'
import { bandersnatchConfigStep } from '../steps/bandersnatch-config'
import { installToolsStep } from '../steps/install-tools'
import { mirrorLayout } from '../steps/mirror-layout'
import type { Step } from '../steps/step'
import { plannedSyncState, syncStateRead } from '../steps/probes'
import type { SiteAction } from './site-action'

/** Refuses to go on while a sync runs: its bandersnatch must not be replaced under it. */
export const noSyncRunningStep: Step = {
  id: 'no-sync-running',
  title: 'Check that no sync is running',
  reads: (site) => [syncStateRead(mirrorLayout(site.mirror))],
  async plan(ctx) {
    const state = plannedSyncState(ctx.state, mirrorLayout(ctx.site.mirror))
    if (state.kind === 'running')
      throw new EngineError(`A sync is running (pid ${state.pid})`, {
        host: ctx.host.label,
        hint: 'wait for it to end (the dashboard follows it), or cancel it, then try again',
      })
    return { changes: [], notes: ['no sync is running'] }
  },
}

/**
 * Update bandersnatch to the newest release the host's Python runs (the tools step's choice,
 * see bandersnatch-release.ts), then rewrite its config if the new release wants it otherwise.
 */
export function updateBandersnatchAction(site: Site): SiteAction {
  return {
    id: 'update-bandersnatch',
    title: 'Update bandersnatch',
    site,
    steps: [noSyncRunningStep, installToolsStep, bandersnatchConfigStep],
  }
}
