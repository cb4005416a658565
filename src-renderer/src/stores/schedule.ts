import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { ErrorView, ScheduleStatusView } from '#shared/ipc/contract'
import { invoke } from '../api'
import { toErrorView } from '../errors'

/** The open site's periodic sync: what is installed on the host, and how the last runs went. */
export const useScheduleStore = defineStore('schedule', () => {
  const status = shallowRef<ScheduleStatusView | null>(null)
  const loading = ref(false)
  const error = ref<ErrorView | null>(null)
  let readFor: string | null = null

  async function load(siteId: string): Promise<void> {
    if (readFor !== siteId) status.value = null
    readFor = siteId
    loading.value = true
    try {
      const read = await invoke('schedule:status', { siteId })
      if (readFor === siteId) status.value = read
      error.value = null
    } catch (failure) {
      error.value = toErrorView(failure)
    } finally {
      loading.value = false
    }
  }

  return { status, loading, error, load }
})
