import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { ErrorView, HistoryRunView, HistorySummaryView } from '#shared/ipc/contract'
import { invoke } from '../api'
import { toErrorView } from '../errors'

/** The activity history: every run the app made, searchable, one opened at a time, exportable. */
export const useHistoryStore = defineStore('history', () => {
  const text = ref('')
  const runs = shallowRef<HistorySummaryView[]>([])
  const selected = shallowRef<HistoryRunView | null>(null)
  const loading = ref(false)
  const error = ref<ErrorView | null>(null)
  const savedTo = ref<string | null>(null)

  async function search(): Promise<void> {
    loading.value = true
    try {
      const query = text.value.trim()
      runs.value = (
        await invoke('history:list', { ...(query ? { text: query } : {}), limit: 500 })
      ).runs
      error.value = null
    } catch (failure) {
      error.value = toErrorView(failure)
    } finally {
      loading.value = false
    }
  }

  async function open(id: string): Promise<void> {
    try {
      selected.value = await invoke('history:get', { id })
      if (!selected.value)
        error.value = { message: 'That run is no longer in the history.', hint: 'search again' }
    } catch (failure) {
      error.value = toErrorView(failure)
    }
  }

  function close(): void {
    selected.value = null
  }

  /** Saves the runs given (the ones listed, or the one open) as one file, for a ticket. */
  async function exportRuns(ids: string[], format: 'text' | 'json'): Promise<void> {
    savedTo.value = null
    try {
      savedTo.value = (await invoke('history:export', { ids, format })).savedTo
    } catch (failure) {
      error.value = toErrorView(failure)
    }
  }

  return { text, runs, selected, loading, error, savedTo, search, open, close, exportRuns }
})
