import type { LogStream } from '../../src-main/ipc-contract'

export interface LogLine {
  stream: LogStream
  text: string
}

/**
 * The lines of a live log, kept outside Vue's reactivity: a sync can log hundreds of thousands
 * of lines, and making each one reactive would cost more than showing it. Views watch
 * `revision` (bumped by the store) and read the lines they show by index.
 */
export class LogBuffer {
  private lines: LogLine[] = []
  private dropped = 0

  constructor(private readonly capacity = 500_000) {}

  get length(): number {
    return this.lines.length
  }

  /** How many lines fell off the front once the capacity was reached. */
  get droppedCount(): number {
    return this.dropped
  }

  append(line: LogLine): void {
    this.lines.push(line)
    if (this.lines.length > this.capacity) {
      const excess = this.lines.length - this.capacity
      this.lines.splice(0, excess)
      this.dropped += excess
    }
  }

  /** Lines [start, end), clamped. */
  slice(start: number, end: number): LogLine[] {
    return this.lines.slice(Math.max(0, start), Math.min(this.lines.length, end))
  }

  clear(): void {
    this.lines = []
    this.dropped = 0
  }
}
