/**
 * Every error the engine shows a person says what failed, where, and what to do next.
 */
export class EngineError extends Error {
  override name = 'EngineError'
  constructor(
    message: string,
    readonly details: { host?: string; hint?: string; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
  }

  /** The full text for a person: what, where, and what to do next. */
  describe(): string {
    const where = this.details.host ? ` (on ${this.details.host})` : ''
    const next = this.details.hint ? `\n  What to do: ${this.details.hint}` : ''
    return `${this.message}${where}${next}`
  }
}

export function describeError(error: unknown): string {
  if (error instanceof EngineError) return error.describe()
  if (error instanceof Error) return error.message
  return String(error)
}
