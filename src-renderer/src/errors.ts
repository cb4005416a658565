import type { ErrorView } from '#shared/ipc/contract'
import { BridgeError } from './api'

/** Any failure as the error panel shows it: what happened, and what to do next. */
export function toErrorView(error: unknown): ErrorView {
  if (error instanceof BridgeError) {
    const invalid = error.failure.code === 'invalid-request'
    return {
      message: error.failure.message,
      hint: invalid
        ? 'correct the field named above and try again'
        : 'try again; if it keeps failing, restart the app (your progress is saved)',
    }
  }
  return {
    message: error instanceof Error ? error.message : String(error),
    hint: 'try again; if it keeps failing, restart the app (your progress is saved)',
  }
}
