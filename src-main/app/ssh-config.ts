import type { SshConfigHost } from '#shared/ipc/contract'

/**
 * The hosts an OpenSSH client config names, with what the Connect page can fill in from it.
 * Pure: text in, hosts out. Follows OpenSSH's rules where they matter here: keywords are
 * case-insensitive, `Keyword value` and `Keyword=value` both work, the first value obtained
 * wins, `Host *` style blocks apply to every host they match. Settings under `Match` are
 * conditional and skipped; `Include` is not followed.
 */

interface Block {
  /** null for the settings before the first Host line, which apply to every host. */
  patterns: string[] | null
  conditional: boolean
  settings: [keyword: string, value: string][]
}

const WANTED = new Set(['hostname', 'user', 'port', 'identityfile'])

export function parseSshConfig(text: string): SshConfigHost[] {
  const blocks = readBlocks(text)
  const aliases = blocks.flatMap((block) => (block.patterns ?? []).filter(isConcreteAlias))
  const unique = [...new Set(aliases)]
  return unique.map((alias) => resolveHost(alias, blocks))
}

function readBlocks(text: string): Block[] {
  const blocks: Block[] = [{ patterns: null, conditional: false, settings: [] }]
  for (const rawLine of text.split(/\r?\n/)) {
    const parsed = parseLine(rawLine)
    if (!parsed) continue
    const [keyword, value] = parsed
    if (keyword === 'host') {
      blocks.push({ patterns: splitArguments(value), conditional: false, settings: [] })
    } else if (keyword === 'match') {
      blocks.push({ patterns: [], conditional: true, settings: [] })
    } else if (WANTED.has(keyword)) {
      blocks.at(-1)?.settings.push([keyword, unquote(value)])
    }
  }
  return blocks
}

function parseLine(rawLine: string): [keyword: string, value: string] | null {
  const line = rawLine.trim()
  if (!line || line.startsWith('#')) return null
  const match = /^([A-Za-z]+)\s*(?:=\s*|\s+)(.*)$/.exec(line)
  if (!match) return null
  return [(match[1] as string).toLowerCase(), (match[2] as string).trim()]
}

function splitArguments(value: string): string[] {
  return [...value.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '').filter(Boolean)
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"')
    ? value.slice(1, -1)
    : value
}

function isConcreteAlias(pattern: string): boolean {
  return !/[*?!]/.test(pattern)
}

function patternToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  return new RegExp(`^${escaped}$`, 'i')
}

function blockMatches(block: Block, alias: string): boolean {
  if (block.conditional) return false
  if (block.patterns === null) return true
  let matched = false
  for (const pattern of block.patterns) {
    if (pattern.startsWith('!')) {
      if (patternToRegExp(pattern.slice(1)).test(alias)) return false
    } else if (patternToRegExp(pattern).test(alias)) {
      matched = true
    }
  }
  return matched
}

function resolveHost(alias: string, blocks: Block[]): SshConfigHost {
  const values = new Map<string, string>()
  for (const block of blocks) {
    if (!blockMatches(block, alias)) continue
    for (const [keyword, value] of block.settings)
      if (!values.has(keyword)) values.set(keyword, value)
  }
  const port = Number(values.get('port'))
  return {
    alias,
    hostName: (values.get('hostname') ?? alias).replace(/%h/g, alias),
    user: values.get('user') ?? null,
    port: Number.isInteger(port) && port > 0 && port < 65536 ? port : null,
    identityFile: values.get('identityfile') ?? null,
  }
}
