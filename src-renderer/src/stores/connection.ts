import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type {
  ConnectionView,
  ConnectOutcome,
  ErrorView,
  SecretsInput,
  SshConfigHost,
} from '#shared/ipc/contract'
import type { SshTarget } from '#shared/site'
import { invoke } from '../api'
import { toErrorView } from '../errors'
import { useHostKeyStore } from './host-key'

const DISCONNECTED: ConnectionView = {
  state: 'disconnected',
  label: null,
  hostKey: null,
  hasSecrets: false,
}

/** The SSH connection to the mirror host; its host-key question goes to the dialog (host-key.ts). */
export const useConnectionStore = defineStore('connection', () => {
  const view = ref<ConnectionView>(DISCONNECTED)
  const busy = ref(false)
  const error = ref<ErrorView | null>(null)
  const configHosts = ref<SshConfigHost[]>([])
  const connected = computed(() => view.value.state === 'connected')
  const hostKey = useHostKeyStore()

  function settle(outcome: ConnectOutcome): void {
    error.value = null
    if (outcome.kind === 'connected') view.value = outcome.connection
    else if (outcome.kind === 'failed') error.value = outcome.error
    else
      hostKey.ask(outcome, async (fingerprint) => {
        if (fingerprint) await attempt(() => invoke('host:trust', { fingerprint }))
      })
  }

  async function attempt(call: () => Promise<ConnectOutcome>): Promise<void> {
    busy.value = true
    try {
      settle(await call())
    } catch (failure) {
      error.value = toErrorView(failure)
    } finally {
      busy.value = false
    }
  }

  function connect(target: SshTarget, secrets: SecretsInput, remember: boolean): Promise<void> {
    return attempt(() => invoke('host:connect', { target, secrets, remember }))
  }

  function reconnect(): Promise<void> {
    return attempt(() => invoke('host:reconnect'))
  }

  async function disconnect(): Promise<void> {
    try {
      view.value = await invoke('host:disconnect')
    } catch (failure) {
      error.value = toErrorView(failure)
    }
  }

  async function loadConfigHosts(): Promise<void> {
    try {
      configHosts.value = await invoke('ssh:config-hosts')
    } catch {
      configHosts.value = []
    }
  }

  function hydrate(connection: ConnectionView): void {
    view.value = connection
  }

  return {
    view,
    busy,
    error,
    configHosts,
    connected,
    connect,
    reconnect,
    disconnect,
    loadConfigHosts,
    hydrate,
  }
})
