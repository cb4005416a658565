import { randomBytes } from 'node:crypto'
import { stat } from 'node:fs/promises'
import type { SiteStore } from '../app-data/site-store'
import {
  freshWizardProgress,
  type WizardProgress,
  type WizardProgressStore,
} from './wizard-progress'
import { EngineError } from '../engine/errors'
import type { Site } from '#shared/site'
import { ShownPlans } from './jobs/shown-plans'
import { draftFromSite } from './site-draft'

/** The setup the wizard works on: a saved site, or a draft not saved as a site yet. */
export interface OpenWizard {
  /** Its progress file's name: the saved site's id, or the draft's own until it is saved. */
  key: string
  siteId: string | null
  progress: WizardProgress
  /** The plan each page shows now, by stage (workers: by host): what its apply executes. */
  shownPlans: ShownPlans
}

export interface WizardStores {
  sites: SiteStore
  progress: WizardProgressStore
}

/** A new site: nothing is written until it has a host. */
export function newWizard(): OpenWizard {
  return {
    key: `new-${randomBytes(5).toString('hex')}`,
    siteId: null,
    progress: freshWizardProgress(),
    shownPlans: new ShownPlans(),
  }
}

export async function isSavedSite(sites: SiteStore, id: string): Promise<boolean> {
  return stat(sites.fileOf(id)).then(
    () => true,
    () => false,
  )
}

/** The progress of a saved site the wizard never ran for here (an imported one). */
export function progressFromSite(site: Site): WizardProgress {
  return { ...freshWizardProgress(), site: draftFromSite(site) }
}

/** Opens a saved site (by its id) or an unsaved setup (by its key) for the wizard. */
export async function openWizard(stores: WizardStores, id: string): Promise<OpenWizard> {
  const progress = await stores.progress.load(id)
  if (await isSavedSite(stores.sites, id)) {
    const site = progress ? null : await stores.sites.load(id)
    return {
      key: id,
      siteId: id,
      progress: progress ?? progressFromSite(site as Site),
      shownPlans: new ShownPlans(),
    }
  }
  if (!progress)
    throw new EngineError(`There is no saved site or setup named "${id}"`, {
      hint: 'go back to the list of sites and pick one from there',
    })
  return { key: id, siteId: null, progress, shownPlans: new ShownPlans() }
}

/**
 * The setup whose run was under way when the app last closed (a sync may still run on its
 * host), so the app can come back to it at once; the newest if there are several.
 */
export async function interruptedWizard(stores: WizardStores): Promise<OpenWizard | null> {
  let found: OpenWizard | null = null
  for (const key of await stores.progress.keys()) {
    const progress = await stores.progress.load(key)
    if (!progress?.activeRun) continue
    if (
      found?.progress.activeRun &&
      found.progress.activeRun.startedAt > progress.activeRun.startedAt
    )
      continue
    found = {
      key,
      siteId: (await isSavedSite(stores.sites, key)) ? key : null,
      progress,
      shownPlans: new ShownPlans(),
    }
  }
  return found
}
