import { defineStore } from 'pinia'
import { ref } from 'vue'
import type {
  ErrorView,
  FleetEventView,
  FleetHostState,
  PlanView,
  SecretsInput,
  WorkerAddOutcome,
} from '#shared/ipc/contract'
import type { WorkerSite } from '#shared/site'
import { invoke } from '../api'
import { toErrorView } from '../errors'
import { useConnectionStore } from './connection'
import { useSiteStore } from './site'

export interface FleetLive {
  runId: string
  hosts: Record<string, { state: FleetHostState; line: string }>
  plans: { host: string; step: string; plan: PlanView }[]
}

/** The worker hosts: adding them (with the host-key question), and their fleet run as it goes. */
export const useWorkersStore = defineStore('workers', () => {
  const busy = ref(false)
  const error = ref<ErrorView | null>(null)
  const live = ref<FleetLive | null>(null)
  let waitingForKey: ((outcome: WorkerAddOutcome | null) => void) | null = null

  const site = useSiteStore()
  const connection = useConnectionStore()

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
      while (outcome && (outcome.kind === 'unknown-key' || outcome.kind === 'changed-key')) {
        const question = outcome
        outcome = await new Promise<WorkerAddOutcome | null>((resolve) => {
          waitingForKey = resolve
          connection.askAboutKey(question, 'worker')
        })
      }
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

  /** Called by the host-key dialog: trust (with the fingerprint shown) or decline. */
  async function answerKey(fingerprint: string | null): Promise<void> {
    const resolve = waitingForKey
    waitingForKey = null
    if (!resolve) return
    if (fingerprint === null) return resolve(null)
    try {
      resolve(await invoke('worker:trust', { fingerprint }))
    } catch (failure) {
      resolve({ kind: 'failed', error: toErrorView(failure) })
    }
  }

  async function remove(label: string): Promise<void> {
    try {
      site.hydrate(await invoke('worker:remove', { label }), site.mirrorUrl)
    } catch (failure) {
      error.value = toErrorView(failure)
    }
  }

  function onFleetEvent(runId: string, event: FleetEventView): void {
    if (!live.value || live.value.runId !== runId) live.value = { runId, hosts: {}, plans: [] }
    const run = live.value
    if (event.type === 'fleet-started')
      for (const host of event.hosts) run.hosts[host] = { state: 'queued', line: 'waiting' }
    else if (event.type === 'fleet-host-status')
      run.hosts[event.host] = { state: event.state, line: event.line }
    else if (event.type === 'fleet-host' && event.event.type === 'plan')
      run.plans.push({ host: event.host, step: event.event.step, plan: event.event.plan })
  }

  return { busy, error, live, add, answerKey, remove, onFleetEvent }
})
