import { normalizeProjectName } from '#shared/site'
import { parseWheelName } from './tags'

/** One file a PEP 503 project page links, as pip reads it. */
export interface IndexFile {
  filename: string
  /** Absolute, without the `#sha256=` fragment. */
  url: string
  /** `data-requires-python`, unescaped; null when absent. */
  requiresPython: string | null
  sha256: string | null
  yanked: boolean
}

const ANCHOR = /<a\s([^>]*)>([^<]*)<\/a>/gi
const ATTRIBUTE = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g

function unescapeHtml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos|#39);/gi, (_, entity: string) => {
    const e = entity.toLowerCase()
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16))
    if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)))
    return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[e] ?? ''
  })
}

function attributes(text: string): Map<string, string> {
  const found = new Map<string, string>()
  for (const m of text.matchAll(ATTRIBUTE))
    found.set((m[1] as string).toLowerCase(), unescapeHtml(m[2] ?? m[3] ?? m[4] ?? ''))
  return found
}

/** The files of a PEP 503 HTML project page (what bandersnatch writes as index.html). */
export function parseProjectPage(html: string, pageUrl: string): IndexFile[] {
  const files: IndexFile[] = []
  for (const m of html.matchAll(ANCHOR)) {
    const attrs = attributes(m[1] as string)
    const href = attrs.get('href')
    if (!href) continue
    let url: URL
    try {
      url = new URL(href, pageUrl)
    } catch {
      continue
    }
    const hash = /(?:^|&)sha256=([0-9a-f]{64})/i.exec(url.hash.slice(1))
    url.hash = ''
    const text = unescapeHtml((m[2] as string).trim())
    files.push({
      filename: text || decodeURIComponent(url.pathname.split('/').pop() ?? ''),
      url: url.toString(),
      requiresPython: attrs.has('data-requires-python')
        ? attrs.get('data-requires-python') || null
        : null,
      sha256: hash ? (hash[1] as string).toLowerCase() : null,
      yanked: attrs.has('data-yanked'),
    })
  }
  return files
}

export type DistKind = 'wheel' | 'sdist'

export interface DistFile extends IndexFile {
  kind: DistKind
  version: string
}

const SDIST_SUFFIXES = ['.tar.gz', '.zip']

/**
 * What kind of distribution a file is and which version it holds, for a known project (pip
 * finds an sdist's version by trying each `-` until the part before it names the project).
 * Eggs, installers and other files pip would not use are null.
 */
export function classifyFile(file: IndexFile, project: string): DistFile | null {
  const wheel = parseWheelName(file.filename)
  if (wheel)
    return normalizeProjectName(wheel.distribution) === project
      ? { ...file, kind: 'wheel', version: wheel.version }
      : null
  const suffix = SDIST_SUFFIXES.find((s) => file.filename.toLowerCase().endsWith(s))
  if (!suffix) return null
  const stem = file.filename.slice(0, -suffix.length)
  for (let i = stem.indexOf('-'); i > 0; i = stem.indexOf('-', i + 1))
    if (normalizeProjectName(stem.slice(0, i)) === project)
      return { ...file, kind: 'sdist', version: stem.slice(i + 1) }
  return null
}
