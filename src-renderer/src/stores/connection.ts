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
import { useWorkersStore } from './workers'

export type UnknownKey = Extract<ConnectOutcome, { kind: 'unknown-key' }>
export type ChangedKey = Extract<ConnectOutcome, { kind: 'changed-key' }>

const DISCONNECTED: ConnectionView = {
  state: 'disconnected',
  label: null,
  hostKey: null,
  hasSecrets: false,
}

/** The SSH connection to the mirror host, and the host-key question in between. */
export const useConnectionStore = defineStore('connection', () => {
  const view = ref<ConnectionView>(DISCONNECTED)
  const busy = ref(false)
  const unknownKey = ref<UnknownKey | null>(null)
  const changedKey = ref<ChangedKey | null>(null)
  const error = ref<ErrorView | null>(null)
  const configHosts = ref<SshConfigHost[]>([])
  /** Whose host key the dialog is asking about: the mirror host's, or a worker being added. */
  const keyFor = ref<'mirror' | 'worker'>('mirror')
  const connected = computed(() => view.value.state === 'connected')

  function settle(outcome: ConnectOutcome): void {
    keyFor.value = 'mirror'
    unknownKey.value = null
    changedKey.value = null
    error.value = null
    if (outcome.kind === 'connected') view.value = outcome.connection
    else if (outcome.kind === 'unknown-key') unknownKey.value = outcome
    else if (outcome.kind === 'changed-key') changedKey.value = outcome
    else error.value = outcome.error
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

  /** The operator compared the fingerprint and trusts it. */
  async function trustKey(): Promise<void> {
    const key = unknownKey.value
    if (!key) return
    if (keyFor.value === 'worker') {
      unknownKey.value = null
      keyFor.value = 'mirror'
      await useWorkersStore().answerKey(key.fingerprint)
      return
    }
    await attempt(() => invoke('host:trust', { fingerprint: key.fingerprint }))
  }

  function dismissKey(): void {
    unknownKey.value = null
    changedKey.value = null
    const asker = keyFor.value
    keyFor.value = 'mirror'
    if (asker === 'worker') void useWorkersStore().answerKey(null)
  }

  /** Shows the host-key dialog for a key question that came from elsewhere (a worker host). */
  function askAboutKey(question: UnknownKey | ChangedKey, asker: 'mirror' | 'worker'): void {
    keyFor.value = asker
    if (question.kind === 'unknown-key') unknownKey.value = question
    else changedKey.value = question
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
    unknownKey,
    changedKey,
    error,
    configHosts,
    keyFor,
    connected,
    connect,
    trustKey,
    dismissKey,
    askAboutKey,
    reconnect,
    disconnect,
    loadConfigHosts,
    hydrate,
  }
})
