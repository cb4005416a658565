export interface HostLine {
  user: string | null
  host: string
  port: number | null
}

/**
 * The worker hosts typed one per line, as `host`, `user@host`, `host:port` or `user@host:port`.
 * Blank lines and `#` comments are skipped; lines that fit none of these are returned apart.
 */
export function readHostLines(text: string): { hosts: HostLine[]; problems: string[] } {
  const hosts: HostLine[] = []
  const problems: string[] = []
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, '').trim()
    if (!line) continue
    const match = /^(?:([^@\s:]+)@)?([^@\s:]+)(?::(\d{1,5}))?$/.exec(line)
    if (!match) {
      problems.push(line)
      continue
    }
    hosts.push({
      user: match[1] ?? null,
      host: match[2] as string,
      port: match[3] ? Number(match[3]) : null,
    })
  }
  return { hosts, problems }
}
