import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { isEventChannel, isInvokeChannel } from '#shared/ipc/channels'
import type {
  EventChannel,
  EventPayload,
  InvokeArgs,
  InvokeChannel,
  InvokeResult,
  PipMirrorBridge,
} from '#shared/ipc/contract'

/*
 * Runs sandboxed: only `electron` can be required, so this file imports the contract's types and
 * the zod-free channel list, never the schemas. The main process validates every request.
 */

const bridge: PipMirrorBridge = {
  invoke<C extends InvokeChannel>(channel: C, ...args: InvokeArgs<C>): Promise<InvokeResult<C>> {
    if (!isInvokeChannel(channel)) {
      const message = `There is no IPC channel named ${JSON.stringify(channel)}.`
      return Promise.resolve({ ok: false, error: { code: 'unknown-channel', channel, message } })
    }
    return ipcRenderer.invoke(channel, args[0]) as Promise<InvokeResult<C>>
  },

  on<C extends EventChannel>(channel: C, listener: (payload: EventPayload<C>) => void): () => void {
    if (!isEventChannel(channel))
      throw new Error(`There is no event channel named ${JSON.stringify(channel)}.`)
    // The IPC event object stays here: it carries the sender, which the page has no use for.
    const forward = (_event: IpcRendererEvent, payload: EventPayload<C>): void => listener(payload)
    ipcRenderer.on(channel, forward)
    return () => {
      ipcRenderer.removeListener(channel, forward)
    }
  },
}

contextBridge.exposeInMainWorld('pipMirror', bridge)
