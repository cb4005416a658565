import type { EmitEvent, InvokeHandlers } from '../ipc-contract'

/** What the handlers need from the outside world; Electron fills it in main.ts, tests fill it in directly. */
export interface HandlerDeps {
  appVersion: string
  emit: EmitEvent
}

/**
 * The main-process side of every invoke channel. Electron-free, so the end-to-end harness runs
 * this very table under plain Node. Requests arrive already validated (see dispatch.ts).
 */
export function createHandlers(deps: HandlerDeps): InvokeHandlers {
  return {
    'app:version': async () => deps.appVersion,
    'engine:ping': async ({ text }) => {
      deps.emit('engine:event', { kind: 'log', level: 'info', message: `ping: ${text}` })
      return { echoed: text }
    },
  }
}
