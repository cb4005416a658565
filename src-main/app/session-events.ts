import { redactDeep, type Redact } from '../app-data/redact'
import type { SessionEvent, SessionEventInput } from '#shared/ipc/contract'
import { sessionEventSchema } from '#shared/ipc/session-schemas'

/**
 * Where every session event goes to the page. Events are checked against the contract here, so
 * nothing off-contract reaches the page, and freed of every secret the session knows: the page
 * never gets one back. Once closed (the app is quitting) nothing more is sent.
 */
export class SessionEvents {
  private open = true

  constructor(
    private readonly emit: (event: SessionEvent) => void,
    private readonly redact: () => Redact,
  ) {}

  get closed(): boolean {
    return !this.open
  }

  send(event: SessionEventInput): void {
    if (!this.open) return
    const parsed = sessionEventSchema.safeParse(redactDeep(event, this.redact()))
    if (parsed.success) this.emit(parsed.data)
    else console.error('Dropped an off-contract session event:', parsed.error.message)
  }

  close(): void {
    this.open = false
  }
}
