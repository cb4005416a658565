import { StringDecoder } from 'node:string_decoder'

/** Turns a byte stream into whole lines (UTF-8 safe across chunk boundaries, `\r\n` trimmed). */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8')
  private pending = ''

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer): void {
    this.pending += this.decoder.write(chunk)
    let newline = this.pending.indexOf('\n')
    while (newline !== -1) {
      this.onLine(this.pending.slice(0, newline).replace(/\r$/, ''))
      this.pending = this.pending.slice(newline + 1)
      newline = this.pending.indexOf('\n')
    }
  }

  end(): void {
    this.pending += this.decoder.end()
    if (this.pending) this.onLine(this.pending.replace(/\r$/, ''))
    this.pending = ''
  }
}
