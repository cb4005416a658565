import { stat } from 'node:fs/promises'
import type { WizardProgress } from './wizard-progress'
import type { DraftView, SetupState, SiteListView } from '#shared/ipc/contract'
import type { WizardStores } from './open-wizard'
import { hostLabel } from './site-draft'

/** Where a setup stopped; verified once the wizard proved the mirror with pip. */
export function setupState(progress: WizardProgress): SetupState {
  const verify = progress.stages.verify?.status
  return {
    step: progress.wizard.step,
    completed: progress.wizard.completed,
    verified:
      progress.wizard.completed.includes('verify') || verify === 'ok' || verify === 'changed',
  }
}

async function modifiedAt(path: string): Promise<string> {
  return stat(path).then(
    (info) => info.mtime.toISOString(),
    () => new Date(0).toISOString(),
  )
}

/**
 * The start screen's list: every saved site (SiteStore) with where its setup stopped, then the
 * setups that are not saved as sites yet (they have a host, but no serving address so far).
 */
export async function listSites(stores: WizardStores): Promise<SiteListView> {
  const { sites, broken } = await stores.sites.list()
  const saved = new Set([...sites.map((site) => site.id), ...broken.map((site) => site.id)])
  const views: SiteListView['sites'] = []
  for (const site of sites) {
    const progress = await stores.progress.load(site.id)
    views.push({ ...site, setup: progress ? setupState(progress) : null })
  }
  const drafts: DraftView[] = []
  for (const key of await stores.progress.keys()) {
    if (saved.has(key)) continue
    const progress = await stores.progress.load(key)
    if (!progress?.site.ssh) continue
    drafts.push({
      key,
      host: hostLabel(progress.site.ssh),
      directory: progress.site.directory,
      setup: setupState(progress),
      updatedAt: await modifiedAt(stores.progress.fileOf(key)),
    })
  }
  drafts.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
  return { sites: views, drafts, broken }
}
