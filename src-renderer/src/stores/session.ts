import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ActiveRun, ErrorView, SessionEvent, SessionSnapshot } from '#shared/ipc/contract'
import { invoke, isBridgeAvailable, onEvent } from '../api'
import { toErrorView } from '../errors'
import { useCommandsStore } from './commands'
import { useConnectionStore } from './connection'
import { useRunsStore } from './runs'
import { useSiteStore } from './site'
import { useWizardStore } from './wizard'

/**
 * Brings the page up to date with the main process: the open site (or setup) on start, after a
 * reload or when another one is opened, then every session event as it comes.
 */
export const useSessionStore = defineStore('session', () => {
  const dataDir = ref('')
  const secretsCanPersist = ref(false)
  /** A run the app was closed during; the Mirror page reattaches to a sync. */
  const interruptedRun = ref<ActiveRun | null>(null)
  /** The open setup, and the saved site it belongs to (null until the wizard saves it). */
  const wizardKey = ref<string | null>(null)
  const siteId = ref<string | null>(null)
  const error = ref<ErrorView | null>(null)
  let stopListening: (() => void) | null = null

  const wizard = useWizardStore()
  const site = useSiteStore()
  const connection = useConnectionStore()
  const runs = useRunsStore()
  const commands = useCommandsStore()

  function dispatch(event: SessionEvent): void {
    switch (event.kind) {
      case 'run-event':
        runs.onRunEvent(event.runId, event.stage, event.event)
        break
      case 'run-finished':
        runs.onRunFinished(event.record)
        if (interruptedRun.value?.stage === event.record.stage) interruptedRun.value = null
        break
      case 'connection':
        connection.hydrate(event.connection)
        break
      case 'command':
        commands.add(event.command)
        break
      case 'fleet-event':
        runs.onFleetEvent(event.runId, event.event)
        break
      case 'dashboard-event':
        runs.onActionEvent(event.runId, event.siteId, event.event)
        break
      case 'dashboard-finished':
        runs.onActionFinished(event.record)
        break
      case 'site-saved':
        siteId.value = event.siteId
        wizardKey.value = event.siteId
        break
    }
  }

  function apply(snapshot: SessionSnapshot): void {
    const sameSetup = wizardKey.value === snapshot.wizardKey
    wizardKey.value = snapshot.wizardKey
    siteId.value = snapshot.siteId
    dataDir.value = snapshot.dataDir
    secretsCanPersist.value = snapshot.secretsCanPersist
    interruptedRun.value = snapshot.interruptedRun
    site.hydrate(snapshot.site, snapshot.mirrorUrl)
    connection.hydrate(snapshot.connection)
    runs.hydrate(snapshot.stages, snapshot.activeRun, sameSetup)
    commands.hydrate(snapshot.commands)
    wizard.hydrate(snapshot.wizard.step, snapshot.wizard.completed)
    runs.hydrateAction(snapshot.dashboardRun)
    if (snapshot.activeRun) void runs.follow(snapshot.activeRun)
    // A host whose key is already trusted is reconnected without asking.
    if (snapshot.connection.state === 'disconnected' && snapshot.connection.hostKey)
      void connection.reconnect()
  }

  /** On start (or after a reload): the open setup, or null when the bridge is missing. */
  async function restore(): Promise<SessionSnapshot | null> {
    if (!isBridgeAvailable()) return null
    stopListening ??= onEvent('session:event', dispatch)
    try {
      const snapshot = await invoke('session:restore')
      apply(snapshot)
      return snapshot
    } catch (failure) {
      error.value = toErrorView(failure)
      return null
    }
  }

  /** Opens a saved site or an unfinished setup by its id; null starts a new site. */
  async function open(id: string | null): Promise<boolean> {
    const snapshot = await invoke('site:open', { siteId: id })
    apply(snapshot)
    return true
  }

  /** Reads the open setup again (after it was forgotten, say). */
  async function refresh(): Promise<void> {
    try {
      apply(await invoke('session:restore'))
    } catch (failure) {
      error.value = toErrorView(failure)
    }
  }

  return {
    dataDir,
    secretsCanPersist,
    interruptedRun,
    wizardKey,
    siteId,
    error,
    restore,
    open,
    refresh,
  }
})
