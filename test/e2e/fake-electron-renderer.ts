/**
 * Stands in for the `electron` module when the harness bundles src-preload/index.ts for a plain
 * Chromium page. Runs inside the page: `ipcRenderer.invoke` goes to the Node test process through
 * a Playwright binding, and the harness delivers events by calling `HARNESS_DELIVER_EVENT`.
 */

export const HARNESS_INVOKE = '__pipMirrorHarnessInvoke'
export const HARNESS_DELIVER_EVENT = '__pipMirrorHarnessDeliverEvent'

type IpcListener = (event: { sender: null }, payload: unknown) => void
type HarnessGlobal = typeof globalThis & {
  [HARNESS_INVOKE]?: (channel: string, request: unknown) => Promise<unknown>
  [HARNESS_DELIVER_EVENT]?: (channel: string, payload: unknown) => void
}

const harnessWindow = globalThis as HarnessGlobal
const listeners = new Map<string, Set<IpcListener>>()

harnessWindow[HARNESS_DELIVER_EVENT] = (channel, payload) => {
  for (const listener of listeners.get(channel) ?? []) listener({ sender: null }, payload)
}

export const ipcRenderer = {
  invoke(channel: string, request: unknown): Promise<unknown> {
    const invokeInNode = harnessWindow[HARNESS_INVOKE]
    if (!invokeInNode) return Promise.reject(new Error('The harness binding is not installed.'))
    return invokeInNode(channel, request)
  },
  on(channel: string, listener: IpcListener): void {
    const forChannel = listeners.get(channel) ?? new Set<IpcListener>()
    forChannel.add(listener)
    listeners.set(channel, forChannel)
  },
  removeListener(channel: string, listener: IpcListener): void {
    listeners.get(channel)?.delete(listener)
  },
}

/** Like Electron's: the page gets a frozen object it cannot reach behind. */
export const contextBridge = {
  exposeInMainWorld(key: string, api: object): void {
    Object.defineProperty(globalThis, key, { value: Object.freeze({ ...api }), enumerable: true })
  },
}
