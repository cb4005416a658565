import type {
  EventChannel,
  EventPayload,
  InvokeArgs,
  InvokeChannel,
  InvokeResponse,
  IpcFailure,
  PipMirrorBridge,
} from '#shared/ipc/contract'

/** The renderer's typed door to the main process: `window.pipMirror`, with failures thrown. */

export class BridgeError extends Error {
  readonly failure: IpcFailure

  constructor(failure: IpcFailure) {
    super(`${failure.channel}: ${failure.message}`)
    this.name = 'BridgeError'
    this.failure = failure
  }
}

export function isBridgeAvailable(): boolean {
  return window.pipMirror !== undefined
}

function requireBridge(): PipMirrorBridge {
  const bridge = window.pipMirror
  if (!bridge) {
    throw new Error(
      'window.pipMirror is missing: this page only talks to the main process inside the app window.',
    )
  }
  return bridge
}

export async function invoke<C extends InvokeChannel>(
  channel: C,
  ...args: InvokeArgs<C>
): Promise<InvokeResponse<C>> {
  const result = await requireBridge().invoke(channel, ...args)
  if (!result.ok) throw new BridgeError(result.error)
  return result.value
}

/** Returns the function that stops listening. */
export function onEvent<C extends EventChannel>(
  channel: C,
  listener: (payload: EventPayload<C>) => void,
): () => void {
  return requireBridge().on(channel, listener)
}
