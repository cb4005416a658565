import type { ErrorView } from '#shared/ipc/contract'
import { BridgeError } from './api'

/** Any failure as the error panel shows it: what happened, and what to do next. */
export function toErrorView(error: unknown): ErrorView {
  if (error instanceof BridgeError) {
    const { failure } = error
    // What the engine said to do survives the bridge; only a failure without one gets ours.
    return {
      message: failure.message,
      hint:
        failure.hint ??
        (failure.code === 'invalid-request'
          ? 'correct the field named above and try again'
          : 'try again; if it keeps failing, restart the app (your progress is saved)'),
      ...(failure.errorCode ? { code: failure.errorCode } : {}),
    }
  }
  return {
    message: error instanceof Error ? error.message : String(error),
    hint: 'try again; if it keeps failing, restart the app (your progress is saved)',
  }
}
