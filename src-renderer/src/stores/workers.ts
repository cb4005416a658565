import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ErrorView, SecretsInput, WorkerAddOutcome } from '#shared/ipc/contract'
import type { WorkerSite } from '#shared/site'
import { invoke } from '../api'
import { toErrorView } from '../errors'
import { useHostKeyStore } from './host-key'
import { useSiteStore } from './site'

/** Adding worker hosts to the site, with the host-key question in between (their run: runs.ts). */
export const useWorkersStore = defineStore('workers', () => {
  const busy = ref(false)
  const error = ref<ErrorView | null>(null)
  const site = useSiteStore()
  const hostKey = useHostKeyStore()

  /** Asks the operator about a worker's key; the outcome of trusting it, or null if declined. */
  function answerKey(
    question: Extract<WorkerAddOutcome, { kind: 'unknown-key' | 'changed-key' }>,
  ): Promise<WorkerAddOutcome | null> {
    return new Promise((resolve) =>
      hostKey.ask(question, async (fingerprint) => {
        if (fingerprint === null) return resolve(null)
        try {
          resolve(await invoke('worker:trust', { fingerprint }))
        } catch (failure) {
          resolve({ kind: 'failed', error: toErrorView(failure) })
        }
      }),
    )
  }

  /** Adds one worker; resolves once it is added, refused, or the operator declined its key. */
  async function add(
    worker: WorkerSite,
    secrets: SecretsInput,
    remember: boolean,
  ): Promise<boolean> {
    busy.value = true
    error.value = null
    try {
      let outcome: WorkerAddOutcome | null = await invoke('worker:add', {
        worker,
        secrets,
        remember,
      })
      while (outcome && (outcome.kind === 'unknown-key' || outcome.kind === 'changed-key'))
        outcome = await answerKey(outcome)
      if (!outcome) return false
      if (outcome.kind === 'failed') {
        error.value = outcome.error
        return false
      }
      site.hydrate(outcome.site, site.mirrorUrl)
      return true
    } catch (failure) {
      error.value = toErrorView(failure)
      return false
    } finally {
      busy.value = false
    }
  }

  async function remove(label: string): Promise<void> {
    try {
      site.hydrate(await invoke('worker:remove', { label }), site.mirrorUrl)
    } catch (failure) {
      error.value = toErrorView(failure)
    }
  }

  return { busy, error, add, remove }
})
