/** Reads bandersnatch's log as it grows: how many projects a sync has, and how many are done. */
export class SyncProgress {
  total: number | null = null
  private readonly done = new Set<string>()

  /** Returns true when the figure changed. */
  feed(line: string): boolean {
    const total = /(\d+) packages to sync\./.exec(line)
    if (total) {
      this.total = Number(total[1])
      return true
    }
    const stored = /Storing index page\(s\): (\S+)/.exec(line)
    if (stored && !this.done.has(stored[1] as string)) {
      this.done.add(stored[1] as string)
      return true
    }
    return false
  }

  get completed(): number {
    return this.done.size
  }
}
