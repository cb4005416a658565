/**
 * PEP 508 requirement lines as the mirror accepts them: a name, optional extras, optional PEP 440
 * version specifiers, and an optional environment marker built only from marker variables,
 * comparison operators, quoted strings, `and`, `or` and parentheses. One line: no line breaks.
 */
const NAME = '[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?'
const VERSION =
  '(?:\\d+!)?\\d+(?:\\.\\d+)*(?:[._-]?(?:a|b|c|rc|alpha|beta|pre|preview)[._-]?\\d*)?(?:[._-]?(?:post|rev|r)[._-]?\\d*)?(?:[._-]?dev[._-]?\\d*)?(?:\\+[a-z0-9]+(?:[._-][a-z0-9]+)*)?'
const ONE_SPECIFIER = `(?:(?:===|==|!=)[ \\t]*${VERSION}(?:\\.\\*)?|(?:~=|<=|>=|<|>)[ \\t]*${VERSION})`
const REQUIREMENT = new RegExp(
  `^(${NAME})[ \\t]*(\\[[ \\t]*${NAME}(?:[ \\t]*,[ \\t]*${NAME})*[ \\t]*\\])?[ \\t]*(${ONE_SPECIFIER}(?:[ \\t]*,[ \\t]*${ONE_SPECIFIER})*)?[ \\t]*(?:;[ \\t]*(.+))?$`,
  'i',
)

const MARKER_VARIABLES = new Set([
  'python_version',
  'python_full_version',
  'os_name',
  'sys_platform',
  'platform_release',
  'platform_system',
  'platform_version',
  'platform_machine',
  'platform_python_implementation',
  'implementation_name',
  'implementation_version',
  'extra',
])
const MARKER_TOKEN =
  /\s+|\(|\)|===|==|!=|~=|<=|>=|<|>|not\s+in\b|in\b|and\b|or\b|'[^'\\\n]*'|"[^"\\\n]*"|[A-Za-z_]+/y

/** True when every token of a marker is one PEP 508 allows. */
export function isMarker(marker: string): boolean {
  if (!marker.trim()) return false
  MARKER_TOKEN.lastIndex = 0
  let sawComparison = false
  while (MARKER_TOKEN.lastIndex < marker.length) {
    const start = MARKER_TOKEN.lastIndex
    const match = MARKER_TOKEN.exec(marker)
    if (!match || match.index !== start) return false
    const token = match[0]
    if (
      /^[A-Za-z_]+$/.test(token) &&
      !MARKER_VARIABLES.has(token) &&
      !['in', 'and', 'or'].includes(token)
    )
      return false
    if (/^(===|==|!=|~=|<=|>=|<|>|in)$/.test(token)) sawComparison = true
  }
  return sawComparison
}

export interface Requirement {
  name: string
  /** The version specifiers without spaces, e.g. `>=2,<3`; '' when any version will do. */
  specifier: string
  /** The environment marker; '' when unconditional. */
  marker: string
}

/** Parses a requirement line; null for anything that is not a plain PEP 508 requirement. */
export function parseRequirement(line: string): Requirement | null {
  if (/[\r\n\0]/.test(line)) return null
  const match = REQUIREMENT.exec(line.trim())
  if (!match) return null
  const marker = (match[4] ?? '').trim()
  if (match[4] !== undefined && !isMarker(marker)) return null
  return { name: match[1] as string, specifier: (match[3] ?? '').replace(/[ \t]+/g, ''), marker }
}
