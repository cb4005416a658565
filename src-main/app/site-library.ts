import { readFile } from 'node:fs/promises'
import type { SavedSiteView, SiteListView } from '../ipc-contract'
import { isSavedSite, type WizardStores } from './open-wizard'
import { listSites } from './site-list'

/**
 * The saved sites as files: the start screen's list, importing a site file (read as the CLI reads
 * it, requirement files included), exporting one unchanged, and forgetting one.
 */
export class SiteLibrary {
  constructor(private readonly stores: WizardStores) {}

  list(): Promise<SiteListView> {
    return listSites(this.stores)
  }

  async import(path: string): Promise<SavedSiteView> {
    const saved = await this.stores.sites.importFrom(path)
    const listed = (await this.list()).sites.find((site) => site.id === saved.id)
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
