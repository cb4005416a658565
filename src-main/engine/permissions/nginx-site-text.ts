/** What the mirror's nginx site file says about serving it: pure text analysis. */
export interface SiteTextAnalysis {
  /** The `location` that serves the mirror, as written (`/pypi/`), or null when absent. */
  location: string | null
  alias: string | null
  /** 1-based line of the alias directive. */
  aliasLine: number | null
  /**
   * The location and alias disagree about the trailing slash: `/pypi/simple/` would map to
   * `<alias>simple/` (404), or a location without the slash lets `/pypi../` escape the alias.
   */
  slashMismatch: boolean
  /** The alias (with a trailing slash) is not the mirror's web directory. */
  aliasElsewhere: boolean
  /** `listen` values in the file. */
  listens: string[]
}

function stripComment(line: string): string {
  const hash = line.indexOf('#')
  return hash < 0 ? line : line.slice(0, hash)
}

function unquote(value: string): string {
  const trimmed = value.trim()
  const quoted = /^(['"])(.*)\1$/.exec(trimmed)
  return quoted ? (quoted[2] as string) : trimmed
}

const withSlash = (path: string): string => (path.endsWith('/') ? path : `${path}/`)

/** Finds the mirror's location block (with or without its trailing slash) and its alias. */
export function analyzeSiteText(
  text: string,
  wanted: { location: string; webRoot: string },
): SiteTextAnalysis {
  const lines = text.split('\n')
  const target = wanted.location.replace(/\/+$/, '')
  const listens: string[] = []
  let location: string | null = null
  let alias: string | null = null
  let aliasLine: number | null = null
  let depth = 0
  /** The depth inside the mirror's location block; null before it opens and after it closes. */
  let blockDepth: number | null = null
  let seenBlock = false
  lines.forEach((raw, index) => {
    const line = stripComment(raw)
    const listen = /^\s*listen\s+([^;\s]+)/.exec(line)
    if (listen) listens.push(listen[1] as string)
    const opens = /^\s*location\s+(?:=\s*|\^~\s*)?(\S+)\s*\{/.exec(line)
    if (opens && !seenBlock && (opens[1] as string).replace(/\/+$/, '') === target) {
      location = opens[1] as string
      blockDepth = depth + 1
      seenBlock = true
    }
    const directive = /\balias\s+([^;]+);/.exec(line)
    const depthHere = depth + (opens ? 1 : 0)
    if (directive && blockDepth !== null && depthHere === blockDepth && alias === null) {
      alias = unquote(directive[1] as string)
      aliasLine = index + 1
    }
    for (const char of line) {
      if (char === '{') depth++
      if (char === '}') {
        if (depth === blockDepth) blockDepth = null
        depth--
      }
    }
  })
  const foundLocation = location as string | null
  const foundAlias = alias as string | null
  return {
    location: foundLocation,
    alias: foundAlias,
    aliasLine,
    slashMismatch:
      foundLocation !== null &&
      foundAlias !== null &&
      foundLocation.endsWith('/') !== foundAlias.endsWith('/'),
    aliasElsewhere:
      foundAlias !== null &&
      withSlash(foundAlias) !== withSlash(wanted.webRoot.replace(/\/+$/, '')),
    listens,
  }
}

/**
 * The same text with the mirror's location and its alias both ending in `/`; every other byte
 * (comments, indentation, other blocks) is left as it was.
 */
export function fixAliasSlash(text: string, wanted: { location: string; webRoot: string }): string {
  const found = analyzeSiteText(text, wanted)
  if (!found.slashMismatch || found.aliasLine === null || found.location === null) return text
  const lines = text.split('\n')
  const aliasIndex = found.aliasLine - 1
  lines[aliasIndex] = (lines[aliasIndex] as string).replace(
    /(\balias\s+)(['"]?)([^;'"]+?)(\2\s*;)/,
    (_all, head: string, quote: string, path: string, tail: string) =>
      `${head}${quote}${withSlash(path)}${tail}`,
  )
  const location = found.location
  if (!location.endsWith('/')) {
    const at = lines.findIndex((line) =>
      new RegExp(`^\\s*location\\s+(?:=\\s*|\\^~\\s*)?${escapeRegex(location)}\\s*\\{`).test(
        stripComment(line),
      ),
    )
    if (at >= 0)
      lines[at] = (lines[at] as string).replace(
        new RegExp(`(location\\s+(?:=\\s*|\\^~\\s*)?)${escapeRegex(location)}(\\s*\\{)`),
        `$1${location}/$2`,
      )
  }
  return lines.join('\n')
}

function escapeRegex(text: string): string {
  return text.replace(/[.+*?^$()[\]{}|\\/]/g, '\\$&')
}

/** `ss -Hltn` local addresses; is `address:port` (or a wildcard on that port) among them? */
export function isListening(ssOutput: string, listen: string): boolean {
  const [address, port] = listen.split(':') as [string, string]
  const wanted = new Set([`${address}:${port}`, `0.0.0.0:${port}`, `*:${port}`])
  if (address === '0.0.0.0') wanted.add(`[::]:${port}`)
  return ssOutput
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[3])
    .some((local) => local !== undefined && wanted.has(local.replace(/%\S+?:/, ':')))
}
