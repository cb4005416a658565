import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { DashboardSiteView, ErrorView, SiteHealthView } from '#shared/ipc/contract'
import { invoke } from '../api'
import { toErrorView } from '../errors'
import { useRunsStore } from './runs'

/** One saved site's dashboard: the site and its health (its actions are jobs: see runs.ts). */
export const useDashboardStore = defineStore('dashboard', () => {
  const siteId = ref<string | null>(null)
  const site = shallowRef<DashboardSiteView | null>(null)
  const health = shallowRef<SiteHealthView | null>(null)
  const checking = ref(false)
  const error = ref<ErrorView | null>(null)
  const runs = useRunsStore()

  /** Opens the site's dashboard (the site must be the session's open one). */
  async function load(id: string): Promise<void> {
    if (siteId.value !== id) {
      siteId.value = id
      site.value = null
      health.value = null
    }
    runs.followSite(id)
    try {
      site.value = await invoke('dashboard:site', { siteId: id })
      error.value = null
    } catch (failure) {
      error.value = toErrorView(failure)
    }
  }

  async function refresh(): Promise<void> {
    const id = siteId.value
    if (!id) return
    checking.value = true
    try {
      const read = await invoke('dashboard:health', { siteId: id })
      if (siteId.value === id) health.value = read
    } catch (failure) {
      error.value = toErrorView(failure)
    } finally {
      checking.value = false
    }
  }

  return { siteId, site, health, checking, error, load, refresh }
})
