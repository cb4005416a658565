import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { ErrorView, SiteImportReview, SiteListView } from '#shared/ipc/contract'
import { invoke } from '../api'
import { toErrorView } from '../errors'
import { useSessionStore } from './session'

/** The start screen: the saved sites and unfinished setups, and opening one of them. */
export const useSitesStore = defineStore('sites', () => {
  const list = shallowRef<SiteListView>({ sites: [], drafts: [], broken: [] })
  const loading = ref(false)
  const error = ref<ErrorView | null>(null)
  const notice = ref<string | null>(null)
  /** An imported file that would replace a saved site, shown until confirmed or dropped. */
  const review = shallowRef<SiteImportReview | null>(null)

  async function attempt<T>(call: () => Promise<T>): Promise<T | null> {
    error.value = null
    try {
      return await call()
    } catch (failure) {
      error.value = toErrorView(failure)
      return null
    }
  }

  async function load(): Promise<void> {
    loading.value = true
    const listed = await attempt(() => invoke('sites:list'))
    if (listed) list.value = listed
    loading.value = false
  }

  /** Makes a site (or setup) the open one; null opens a new, empty one. */
  async function open(id: string | null): Promise<boolean> {
    return (await attempt(() => useSessionStore().open(id))) === true
  }

  async function importFile(): Promise<string | null> {
    notice.value = null
    review.value = null
    const imported = await attempt(() => invoke('sites:import'))
    if (imported?.review) review.value = imported.review
    if (!imported?.site) return null
    notice.value = `Imported “${imported.site.name}”.`
    await load()
    return imported.site.id
  }

  /** Replaces the saved site by the reviewed file. */
  async function confirmImport(): Promise<string | null> {
    const token = review.value?.token
    review.value = null
    if (!token) return null
    const confirmed = await attempt(() => invoke('sites:import-confirm', { token }))
    if (!confirmed) return null
    notice.value = `Replaced “${confirmed.site.name}” by the imported file.`
    await load()
    return confirmed.site.id
  }

  function dropImport(): void {
    review.value = null
    notice.value = 'The saved site was kept as it was.'
  }

  async function exportSite(id: string): Promise<void> {
    notice.value = null
    const saved = await attempt(() => invoke('sites:export', { siteId: id }))
    if (saved?.savedTo) notice.value = `Saved to ${saved.savedTo}`
  }

  async function forget(id: string): Promise<void> {
    const listed = await attempt(() => invoke('sites:forget', { siteId: id }))
    if (listed) list.value = listed
    await useSessionStore().refresh()
  }

  return {
    list,
    loading,
    error,
    notice,
    review,
    load,
    open,
    importFile,
    confirmImport,
    dropImport,
    exportSite,
    forget,
  }
})
