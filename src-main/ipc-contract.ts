import { z } from 'zod'
import type { EventChannel, InvokeChannel } from './ipc-channels'

/**
 * The whole API between the renderer and the main process, defined once. The preload, the IPC
 * registration, the handlers, the renderer and the end-to-end harness all take their types from
 * here. No Electron or Node imports: this file is compiled for the renderer too.
 */

export type { EventChannel, InvokeChannel } from './ipc-channels'

interface InvokeSpec {
  request: z.ZodType
  response: z.ZodType
}

/** Requests are validated before a handler runs; responses before they leave the main process. */
export const invokeContract = {
  'app:version': {
    request: z.undefined(),
    response: z.string(),
  },
  'engine:ping': {
    request: z.strictObject({ text: z.string().max(10_000) }),
    response: z.object({ echoed: z.string() }),
  },
} as const satisfies Record<InvokeChannel, InvokeSpec>

export const engineEventSchema = z.object({
  kind: z.literal('log'),
  level: z.enum(['info', 'warn', 'error']),
  message: z.string(),
})

export const eventContract = {
  'engine:event': engineEventSchema,
} as const satisfies Record<EventChannel, z.ZodType>

type RequestSchema<C extends InvokeChannel> = (typeof invokeContract)[C]['request']
type ResponseSchema<C extends InvokeChannel> = (typeof invokeContract)[C]['response']

/** What the renderer sends. */
export type InvokeRequestInput<C extends InvokeChannel> = z.input<RequestSchema<C>>
/** What a handler receives, after validation. */
export type InvokeRequest<C extends InvokeChannel> = z.output<RequestSchema<C>>
export type InvokeResponse<C extends InvokeChannel> = z.output<ResponseSchema<C>>
export type EventPayload<C extends EventChannel> = z.output<(typeof eventContract)[C]>
export type EngineEvent = EventPayload<'engine:event'>

/** Channels without a request take no argument; all others take exactly one. */
export type InvokeArgs<C extends InvokeChannel> =
  undefined extends InvokeRequestInput<C>
    ? [request?: InvokeRequestInput<C>]
    : [request: InvokeRequestInput<C>]

export type IpcFailureCode =
  'unknown-channel' | 'forbidden-sender' | 'invalid-request' | 'invalid-response' | 'handler-failed'

/** Failures travel as data: Electron would flatten a thrown error into one prefixed string. */
export interface IpcFailure {
  code: IpcFailureCode
  channel: string
  message: string
}

export type InvokeResult<C extends InvokeChannel> =
  { ok: true; value: InvokeResponse<C> } | { ok: false; error: IpcFailure }

/** The one object the preload exposes as `window.pipMirror`. */
export interface PipMirrorBridge {
  invoke<C extends InvokeChannel>(channel: C, ...args: InvokeArgs<C>): Promise<InvokeResult<C>>
  on<C extends EventChannel>(channel: C, listener: (payload: EventPayload<C>) => void): () => void
}

/** The main-process side: one async function per invoke channel. */
export type InvokeHandlers = {
  [C in InvokeChannel]: (request: InvokeRequest<C>) => Promise<InvokeResponse<C>>
}

export type EmitEvent = <C extends EventChannel>(channel: C, payload: EventPayload<C>) => void
