import type { LogStream } from '#shared/ipc/contract'

export interface LogLine {
  stream: LogStream
  text: string
}

/**
 * The lines of a live log, kept outside Vue's reactivity: a sync can log hundreds of thousands
 * of lines, and making each one reactive would cost more than showing it. Views watch
 * `revision` (bumped by the store) and read the lines they show by index.
 *
 * A ring: once `capacity` lines are held, each new line takes the oldest one's place, so an
 * append costs the same at the millionth line as at the first (removing from the front of an
 * array would move every line, each time).
 */
export class LogBuffer {
  private ring: LogLine[] = []
  /** Where the oldest line is, once the ring is full. */
  private start = 0
  private dropped = 0

  constructor(private readonly capacity = 500_000) {}

  get length(): number {
    return this.ring.length
  }

  /** How many lines fell off the front once the capacity was reached. */
  get droppedCount(): number {
    return this.dropped
  }

  append(line: LogLine): void {
    if (this.ring.length < this.capacity) {
      this.ring.push(line)
      return
    }
    this.ring[this.start] = line
    this.start = (this.start + 1) % this.capacity
    this.dropped++
  }

  /** Lines [start, end), oldest first, clamped. */
  slice(start: number, end: number): LogLine[] {
    const from = Math.max(0, start)
    const to = Math.min(this.ring.length, end)
    const lines: LogLine[] = []
    for (let i = from; i < to; i++)
      lines.push(this.ring[(this.start + i) % this.ring.length] as LogLine)
    return lines
  }

  clear(): void {
    this.ring = []
    this.start = 0
    this.dropped = 0
  }
}
