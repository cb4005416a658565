import { z } from 'zod'
import { errorView } from '../app/engine-views'
import { isInvokeChannel } from '#shared/ipc/channels'
import {
  invokeContract,
  type InvokeChannel,
  type InvokeHandlers,
  type InvokeRequest,
  type InvokeResponse,
  type InvokeResult,
  type IpcFailure,
} from '#shared/ipc/contract'

/**
 * Runs one invoke request through the contract: known channel, valid request, handler, valid
 * response. Electron-free; ipc.ts and the end-to-end harness both call it, so the page under
 * test gets exactly what the real window would.
 */
export async function dispatchInvoke(
  handlers: InvokeHandlers,
  channel: unknown,
  request: unknown,
): Promise<InvokeResult<InvokeChannel>> {
  if (!isInvokeChannel(channel)) {
    return failure(
      'unknown-channel',
      String(channel),
      `There is no IPC channel named ${JSON.stringify(channel)}.`,
    )
  }
  return dispatchKnownChannel(handlers, channel, request)
}

async function dispatchKnownChannel<C extends InvokeChannel>(
  handlers: InvokeHandlers,
  channel: C,
  request: unknown,
): Promise<InvokeResult<C>> {
  const spec = invokeContract[channel]
  const parsedRequest = spec.request.safeParse(request)
  if (!parsedRequest.success) {
    return failure('invalid-request', channel, describeIssues(parsedRequest.error))
  }
  // TypeScript cannot follow the channel from the table's key to its schema, hence the casts.
  const handler = handlers[channel] as (request: InvokeRequest<C>) => Promise<InvokeResponse<C>>
  let response: InvokeResponse<C>
  try {
    response = await handler(parsedRequest.data as InvokeRequest<C>)
  } catch (error) {
    const { message, hint, code } = errorView(error)
    return failure('handler-failed', channel, message, {
      ...(hint ? { hint } : {}),
      ...(code ? { errorCode: code } : {}),
    })
  }
  // Parsing also drops any field the contract does not name, so nothing extra reaches the page.
  const parsedResponse = spec.response.safeParse(response)
  if (!parsedResponse.success) {
    return failure('invalid-response', channel, describeIssues(parsedResponse.error))
  }
  return { ok: true, value: parsedResponse.data as InvokeResponse<C> }
}

function failure(
  code: IpcFailure['code'],
  channel: string,
  message: string,
  said: Pick<IpcFailure, 'hint' | 'errorCode'> = {},
): { ok: false; error: IpcFailure } {
  return { ok: false, error: { code, channel, message, ...said } }
}

function describeIssues(error: z.ZodError): string {
  return z.prettifyError(error)
}
