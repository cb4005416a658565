import { ipcMain, type IpcMainInvokeEvent } from 'electron'
import { INVOKE_CHANNELS } from '#shared/ipc/channels'
import type { InvokeHandlers, InvokeResult, InvokeChannel } from '#shared/ipc/contract'
import { isAppPageUrl, type AppPageLocation } from './app-origin'
import { dispatchInvoke } from './dispatch'

/**
 * Wires the Electron-free handler table to ipcMain: one `handle` per contract channel, each
 * refusing frames that are not the app's own page before the request is validated and run.
 * Returns a function that removes the handlers again.
 */
export function registerIpcHandlers(
  handlers: InvokeHandlers,
  appPage: AppPageLocation,
): () => void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(
      channel,
      async (event: IpcMainInvokeEvent, request: unknown): Promise<InvokeResult<InvokeChannel>> => {
        const frameUrl = event.senderFrame?.url
        if (frameUrl === undefined || !isAppPageUrl(frameUrl, appPage)) {
          const message = `Refused ${channel} from ${frameUrl ?? 'a closed frame'}: not the app's own page.`
          console.warn(message)
          return { ok: false, error: { code: 'forbidden-sender', channel, message } }
        }
        return dispatchInvoke(handlers, channel, request)
      },
    )
  }
  return () => {
    for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(channel)
  }
}
