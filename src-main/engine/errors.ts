/** Why something failed, as a value: what the page shows, never parsed back from text. */
export interface ErrorValue {
  message: string
  /** user@host:port, when it happened on a host. */
  host?: string
  /** What to do next. */
  hint?: string
  /** A word callers act on: `stale-plan`, `unplanned-change`, `host-key` ... */
  code?: string
}

/**
 * Every error the engine shows a person says what failed, where, and what to do next.
 */
export class EngineError extends Error {
  override name = 'EngineError'
  constructor(
    message: string,
    readonly details: { host?: string; hint?: string; cause?: unknown; code?: string } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
  }

  /** The full text for a person: what, where, and what to do next. */
  describe(): string {
    return describeErrorValue(errorValue(this))
  }
}

/** An error value as one text for a terminal or a log: what, where, and what to do next. */
export function describeErrorValue(value: ErrorValue): string {
  const where = value.host ? ` (on ${value.host})` : ''
  const next = value.hint ? `\n  What to do: ${value.hint}` : ''
  return `${value.message}${where}${next}`
}

export function describeError(error: unknown): string {
  return describeErrorValue(errorValue(error))
}

export function errorValue(error: unknown): ErrorValue {
  if (error instanceof EngineError)
    return {
      message: error.message,
      ...(error.details.host ? { host: error.details.host } : {}),
      ...(error.details.hint ? { hint: error.details.hint } : {}),
      ...(error.details.code ? { code: error.details.code } : {}),
    }
  return { message: error instanceof Error ? error.message : String(error) }
}
