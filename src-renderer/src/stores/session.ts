import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ActiveRun, ErrorView, SessionEvent } from '../../../src-main/ipc-contract'
import { invoke, isBridgeAvailable, onEvent } from '../api'
import { toErrorView } from '../errors'
import type { WizardStepId } from '../steps'
import { useCommandsStore } from './commands'
import { useConnectionStore } from './connection'
import { useRunsStore } from './runs'
import { useSiteStore } from './site'
import { useWizardStore } from './wizard'
import { useWorkersStore } from './workers'

/**
 * Brings the page up to date with the main process: the saved progress on start (or after a
 * reload), then every session event as it comes.
 */
export const useSessionStore = defineStore('session', () => {
  const dataDir = ref('')
  const secretsCanPersist = ref(false)
  /** A run the app was closed during; the Mirror page reattaches to a sync. */
  const interruptedRun = ref<ActiveRun | null>(null)
  const error = ref<ErrorView | null>(null)
  let stopListening: (() => void) | null = null

  const wizard = useWizardStore()
  const site = useSiteStore()
  const connection = useConnectionStore()
  const runs = useRunsStore()
  const commands = useCommandsStore()
  const workers = useWorkersStore()

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
        workers.onFleetEvent(event.runId, event.event)
        break
    }
  }

  /** Returns the step the operator was on, or null when there is nothing to restore. */
  async function restore(): Promise<WizardStepId | null> {
    if (!isBridgeAvailable()) return null
    stopListening ??= onEvent('session:event', dispatch)
    try {
      const snapshot = await invoke('session:restore')
      dataDir.value = snapshot.dataDir
      secretsCanPersist.value = snapshot.secretsCanPersist
      interruptedRun.value = snapshot.interruptedRun
      site.hydrate(snapshot.site, snapshot.mirrorUrl)
      connection.hydrate(snapshot.connection)
      runs.hydrate(snapshot.stages, snapshot.activeRun)
      commands.hydrate(snapshot.commands)
      wizard.hydrate(snapshot.wizard.step, snapshot.wizard.completed)
      if (snapshot.activeRun) void runs.follow(snapshot.activeRun)
      // A host whose key is already trusted is reconnected without asking.
      if (snapshot.connection.state === 'disconnected' && snapshot.connection.hostKey)
        void connection.reconnect()
      return snapshot.wizard.step
    } catch (failure) {
      error.value = toErrorView(failure)
      return null
    }
  }

  return { dataDir, secretsCanPersist, interruptedRun, error, restore }
})
