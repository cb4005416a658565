import { normalizeProjectName } from '#shared/site'

export interface PinnedRequirement {
  name: string
  version: string
  /** The environment marker, such as `sys_platform == 'win32'`; '' when unconditional. */
  marker: string
  /** What pulled it in, as the resolver annotated it (`-r requirements.in` for direct ones). */
  via: string[]
  direct: boolean
}

const PIN = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)\s*(?:;\s*(.+?))?\s*(?:\\)?$/

/** Reads a resolver's output (uv or pip-compile): pinned lines and their `# via` annotations. */
export function parsePinnedRequirements(text: string): PinnedRequirement[] {
  const pins: PinnedRequirement[] = []
  let viaBlock = false
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    const last = pins.at(-1)
    if (!line) continue
    if (line.startsWith('#')) {
      const comment = line.replace(/^#\s*/, '')
      if (!last || !/^\s/.test(raw)) continue
      if (comment.startsWith('via')) {
        const rest = comment.slice(3).trim()
        viaBlock = rest === ''
        if (rest) last.via.push(rest)
      } else if (viaBlock && comment) last.via.push(comment)
      continue
    }
    viaBlock = false
    const match = PIN.exec(line)
    if (!match) continue
    pins.push({
      name: normalizeProjectName(match[1] as string),
      version: match[2] as string,
      marker: match[3] ?? '',
      via: [],
      direct: false,
    })
  }
  for (const pin of pins) pin.direct = pin.via.some((v) => v.startsWith('-r '))
  return pins
}

/** Lines of a requirements text that are not pinned with `==` (what OpenLambda cannot install). */
export function unpinnedLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#') && !l.startsWith('-') && !PIN.test(l))
}
