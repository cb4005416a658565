import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { siteReplacement } from '../app-data/site-replacement'
import type { Site } from '#shared/site'
import type { SavedSiteView, SiteImportReview, SiteListView } from '#shared/ipc/contract'
import { isSavedSite, type WizardStores } from './open-wizard'
import { listSites } from './site-list'

export type SiteImportOutcome =
  { site: SavedSiteView; review: null } | { site: null; review: SiteImportReview }

/**
 * The saved sites as files: the start screen's list, importing a site file (read as the CLI reads
 * it, requirement files included), exporting one unchanged, and forgetting one. An import that
 * would replace a saved site is only shown until the operator confirms it.
 */
export class SiteLibrary {
  /** The import waiting for confirmation: the very site the review showed. */
  private pending: { token: string; id: string; site: Site } | null = null

  constructor(private readonly stores: WizardStores) {}

  list(): Promise<SiteListView> {
    return listSites(this.stores)
  }

  async import(path: string): Promise<SiteImportOutcome> {
    this.pending = null
    const { site, id, previous } = await this.stores.sites.readForImport(path)
    const replacement = previous ? siteReplacement(`sites/${id}.json`, previous, site) : null
    if (!replacement) return { site: await this.save(site, id), review: null }
    const token = randomUUID()
    this.pending = { token, id, site }
    const name = (await this.list()).sites.find((saved) => saved.id === id)?.name ?? id
    return { site: null, review: { token, id, name, ...replacement } }
  }

  /** Saves the import the operator confirmed, and nothing else. */
  async confirmImport(token: string): Promise<SavedSiteView> {
    const pending = this.pending
    if (!pending || pending.token !== token)
      throw new Error('That import is no longer waiting: import the site file again.')
    this.pending = null
    return this.save(pending.site, pending.id)
  }

  private async save(site: Site, id: string): Promise<SavedSiteView> {
    const saved = await this.stores.sites.save(site, { id })
    const listed = (await this.list()).sites.find((entry) => entry.id === saved.id)
    return listed ?? { ...saved, setup: null }
  }

  /** The saved file's exact text (what `pip-mirror --site` reads), and a name to save it as. */
  async exportText(id: string): Promise<{ text: string; fileName: string }> {
    const text = await readFile(this.stores.sites.fileOf(id), 'utf8')
    return { text, fileName: `${id}.json` }
  }

  /** Removes the saved site (or the unsaved setup) and its wizard progress. */
  async forget(id: string): Promise<SiteListView> {
    if (await isSavedSite(this.stores.sites, id)) await this.stores.sites.remove(id)
    else await this.stores.progress.forget(id)
    return this.list()
  }
}
