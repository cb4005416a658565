/**
 * PEP 440 versions and specifiers, as the `packaging` library (and so pip) compares them: enough
 * to decide `requires-python` and environment markers exactly as pip does.
 */

const VERSION_PATTERN = new RegExp(
  '^\\s*v?' +
    '(?:(\\d+)!)?' + // epoch
    '(\\d+(?:\\.\\d+)*)' + // release
    '(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?(\\d+)?)?' + // pre-release
    '(?:-(\\d+)|[-_.]?(post|rev|r)[-_.]?(\\d+)?)?' + // post-release
    '(?:[-_.]?(dev)[-_.]?(\\d+)?)?' + // dev release
    '(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?' + // local version
    '\\s*$',
  'i',
)

export interface Version {
  epoch: number
  release: number[]
  /** `a`, `b` or `rc` and its number. */
  pre: [string, number] | null
  post: number | null
  dev: number | null
  /** Local version parts, numbers where they are digits. */
  local: (number | string)[] | null
}

const PRE_NAMES: Record<string, string> = {
  alpha: 'a',
  a: 'a',
  beta: 'b',
  b: 'b',
  c: 'rc',
  pre: 'rc',
  preview: 'rc',
  rc: 'rc',
}

export function parseVersion(text: string): Version | null {
  const m = VERSION_PATTERN.exec(text)
  if (!m) return null
  const num = (value: string | undefined): number => (value === undefined ? 0 : Number(value))
  const postNumber = m[5] ?? (m[6] !== undefined ? (m[7] ?? '0') : undefined)
  return {
    epoch: num(m[1]),
    release: (m[2] as string).split('.').map(Number),
    pre: m[3] ? [PRE_NAMES[m[3].toLowerCase()] as string, num(m[4])] : null,
    post: postNumber === undefined ? null : Number(postNumber),
    dev: m[8] ? num(m[9]) : null,
    local: m[10]
      ? m[10]
          .toLowerCase()
          .split(/[-_.]/)
          .map((part) => (/^\d+$/.test(part) ? Number(part) : part))
      : null,
  }
}

export function isPrerelease(v: Version): boolean {
  return v.pre !== null || v.dev !== null
}

function trimmedRelease(release: readonly number[]): number[] {
  const out = [...release]
  while (out.length > 1 && out[out.length - 1] === 0) out.pop()
  return out
}

function compareNumbers(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0)
    if (d !== 0) return Math.sign(d)
  }
  return 0
}

/** Sort keys as packaging's `_cmpkey`: -1 below everything, +1 above everything. */
function preKey(v: Version): [number, string, number] {
  if (v.pre) return [0, v.pre[0], v.pre[1]]
  if (v.post === null && v.dev !== null) return [-1, '', 0]
  return [1, '', 0]
}

function compareLocal(a: Version['local'], b: Version['local']): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i]
    const y = b[i]
    if (x === undefined || y === undefined) return x === undefined ? -1 : 1
    if (typeof x !== typeof y) return typeof x === 'number' ? 1 : -1 // numbers sort after strings
    if (x !== y) return x < y ? -1 : 1
  }
  return 0
}

export function compareVersions(a: Version, b: Version): number {
  if (a.epoch !== b.epoch) return Math.sign(a.epoch - b.epoch)
  const release = compareNumbers(trimmedRelease(a.release), trimmedRelease(b.release))
  if (release !== 0) return release
  const [ap, bp] = [preKey(a), preKey(b)]
  if (ap[0] !== bp[0]) return Math.sign(ap[0] - bp[0])
  if (ap[1] !== bp[1]) return ap[1] < bp[1] ? -1 : 1
  if (ap[2] !== bp[2]) return Math.sign(ap[2] - bp[2])
  const [aPost, bPost] = [a.post ?? -1, b.post ?? -1]
  if (aPost !== bPost) return Math.sign(aPost - bPost)
  const [aDev, bDev] = [a.dev ?? Infinity, b.dev ?? Infinity]
  if (aDev !== bDev) return aDev < bDev ? -1 : 1
  return compareLocal(a.local, b.local)
}

export function versionsEqual(a: string, b: string): boolean {
  const [x, y] = [parseVersion(a), parseVersion(b)]
  return !!x && !!y && compareVersions(x, y) === 0
}

function publicOf(v: Version): Version {
  return { ...v, local: null }
}

function baseOf(v: Version): Version {
  return { epoch: v.epoch, release: v.release, pre: null, post: null, dev: null, local: null }
}

/** `==V.*` as packaging compares it: the candidate's release padded with zeros, then cut to V. */
function prefixMatches(candidate: Version, prefix: Version): boolean {
  const segments = (v: Version, releaseLength: number): string[] => [
    String(v.epoch),
    ...[...v.release, ...Array<number>(Math.max(0, releaseLength - v.release.length)).fill(0)].map(
      String,
    ),
    ...(v.pre ? [`${v.pre[0]}${v.pre[1]}`] : []),
    ...(v.post !== null ? [`post${v.post}`] : []),
    ...(v.dev !== null ? [`dev${v.dev}`] : []),
  ]
  const want = segments(prefix, prefix.release.length)
  const length = Math.max(candidate.release.length, prefix.release.length)
  const have = segments(publicOf(candidate), length).slice(0, want.length)
  return have.length === want.length && want.every((segment, i) => have[i] === segment)
}

export interface Specifier {
  operator: '~=' | '==' | '!=' | '<=' | '>=' | '<' | '>' | '==='
  version: string
}

const SPECIFIER = /^\s*(~=|===|==|!=|<=|>=|<|>)\s*([^\s,;]+)\s*$/

export function parseSpecifier(text: string): Specifier | null {
  const m = SPECIFIER.exec(text)
  if (!m) return null
  const operator = m[1] as Specifier['operator']
  const version = m[2] as string
  if (operator === '===') return { operator, version }
  const wildcard = version.endsWith('.*')
  if (wildcard && operator !== '==' && operator !== '!=') return null
  const parsed = parseVersion(wildcard ? version.slice(0, -2) : version)
  if (!parsed) return null
  if (wildcard && (parsed.local || parsed.dev !== null || parsed.post !== null)) return null
  if (operator === '~=' && (parsed.release.length < 2 || parsed.local)) return null
  if (parsed.local && operator !== '==' && operator !== '!=') return null
  return { operator, version }
}

/** Splits `>=3.8,<4` into specifiers; null when one of them is not valid. */
export function parseSpecifierSet(text: string): Specifier[] | null {
  const parts = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
  const specs = parts.map(parseSpecifier)
  return specs.every((s): s is Specifier => s !== null) ? specs : null
}

function equalTo(candidate: Version, spec: string): boolean {
  if (spec.endsWith('.*'))
    return prefixMatches(candidate, parseVersion(spec.slice(0, -2)) as Version)
  const wanted = parseVersion(spec) as Version
  return compareVersions(wanted.local ? candidate : publicOf(candidate), wanted) === 0
}

/** Whether `candidate` satisfies one specifier, pre-releases allowed (how pip checks Python). */
export function specifierContains(spec: Specifier, candidateText: string): boolean {
  if (spec.operator === '===')
    return candidateText.trim().toLowerCase() === spec.version.toLowerCase()
  const candidate = parseVersion(candidateText)
  if (!candidate) return false
  const wanted = spec.version.endsWith('.*') ? null : (parseVersion(spec.version) as Version)
  switch (spec.operator) {
    case '==':
      return equalTo(candidate, spec.version)
    case '!=':
      return !equalTo(candidate, spec.version)
    case '<=':
      return compareVersions(publicOf(candidate), wanted as Version) <= 0
    case '>=':
      return compareVersions(publicOf(candidate), wanted as Version) >= 0
    case '<': {
      const w = wanted as Version
      if (compareVersions(candidate, w) >= 0) return false
      return !(
        !isPrerelease(w) &&
        isPrerelease(candidate) &&
        compareVersions(baseOf(candidate), baseOf(w)) === 0
      )
    }
    case '>': {
      const w = wanted as Version
      if (compareVersions(candidate, w) <= 0) return false
      const sameBase = compareVersions(baseOf(candidate), baseOf(w)) === 0
      if (w.post === null && candidate.post !== null && sameBase) return false
      return !(candidate.local && sameBase)
    }
    case '~=': {
      const w = wanted as Version
      const prefix = w.release.slice(0, -1).join('.')
      const epoch = w.epoch ? `${w.epoch}!` : ''
      return (
        compareVersions(publicOf(candidate), w) >= 0 &&
        prefixMatches(candidate, parseVersion(`${epoch}${prefix}`) as Version)
      )
    }
  }
}

/** `SpecifierSet(text).contains(version, prereleases=True)`; null when `text` does not parse. */
export function specifierSetContains(text: string, version: string): boolean | null {
  const specs = parseSpecifierSet(text)
  if (!specs) return null
  return specs.every((spec) => specifierContains(spec, version))
}
