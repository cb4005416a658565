import { isHostName } from '#shared/site'
import { JsonSyntaxError, scanJson, type JsonMember } from './json-members'

/**
 * Edits the `pip_mirror` field of an OpenLambda worker's config.json and nothing else: every
 * other byte (field order, indentation, line endings, final newline or its absence) is kept, so
 * the operator's diff shows exactly one line.
 */

export class WorkerConfigError extends Error {
  override name = 'WorkerConfigError'
}

export interface PipMirrorEdit {
  text: string
  changed: boolean
  /** The value before the edit; null when the field was absent or not a string. */
  previous: string | null
}

const FIELD = 'pip_mirror'
/** The new field goes after this one, where `ol worker init` puts it. */
const ANCHOR_FIELD = 'registry'
/** OpenLambda writes config.json with tabs; used only when the object has no member to copy. */
const DEFAULT_MEMBER_PREFIX = '\n\t'
const PATH_SEGMENT = /^[A-Za-z0-9._~-]+$/

/** The `pip_mirror` value OpenLambda would use, or null when it is absent or not a string. */
export function readPipMirror(configJsonText: string): string | null {
  const occurrences = pipMirrorMembers(topLevelMembers(configJsonText).members)
  return occurrences[occurrences.length - 1]?.stringValue ?? null
}

export function setPipMirror(configJsonText: string, url: string): PipMirrorEdit {
  checkPipMirrorUrl(url)
  const object = topLevelMembers(configJsonText)
  const occurrences = pipMirrorMembers(object.members)
  const previous = occurrences[occurrences.length - 1]?.stringValue ?? null
  const encoded = JSON.stringify(url)

  let text = configJsonText
  if (occurrences.length > 0) {
    // Go's decoder lets the last of repeated keys win: set every occurrence, so the result
    // does not depend on which one OpenLambda reads.
    for (const member of [...occurrences].reverse()) {
      if (member.stringValue === url) continue
      text = text.slice(0, member.valueStart) + encoded + text.slice(member.valueEnd)
    }
  } else {
    text = insertMember(configJsonText, object, JSON.stringify(FIELD), encoded)
  }
  return { text, changed: text !== configJsonText, previous }
}

/**
 * `http(s)://host[:port][/path]`, the address pip is given with `/simple` appended: so no
 * trailing slash and no `/simple` of its own.
 */
export function checkPipMirrorUrl(url: string): void {
  const problem = pipMirrorUrlProblem(url)
  if (problem) {
    throw new WorkerConfigError(
      `pip_mirror ${JSON.stringify(url)} ${problem}; give it as http://<address>:<port><location> such as http://10.0.0.5:8080/pypi`,
    )
  }
}

function pipMirrorUrlProblem(url: string): string | null {
  const match =
    /^(https?):\/\/(\[[0-9A-Fa-f:.]+\]|[^/:?#[\]@]+)(?::(\d{1,5}))?((?:\/[^/?#]*)*)$/.exec(url)
  if (!match) return 'is not an http:// or https:// URL of a host, a port and a path'
  const [, , host = '', port, path = ''] = match
  if (!host.startsWith('[') && !isHostName(host)) return `has "${host}", which is not a host name`
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535 || port.startsWith('0'))) {
    return `has port ${port}, which is not a port number`
  }
  if (path.endsWith('/')) return 'ends with "/"'
  const segments = path.split('/').slice(1)
  if (
    segments.some((segment) => !PATH_SEGMENT.test(segment) || segment === '..' || segment === '.')
  ) {
    return 'has a path that is not made of letters, digits and . _ ~ -'
  }
  if (segments[segments.length - 1]?.toLowerCase() === 'simple') {
    return 'ends with "/simple", which pip adds itself'
  }
  return null
}

function topLevelMembers(text: string): { open: number; close: number; members: JsonMember[] } {
  let document
  try {
    document = scanJson(text)
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      throw new WorkerConfigError(
        `config.json is not valid JSON (${error.message}); repair it, or recreate it with "ol worker init"`,
      )
    }
    throw error
  }
  if (document.type !== 'object') {
    throw new WorkerConfigError(
      `config.json holds a JSON ${document.type}, not an object of settings; recreate it with "ol worker init"`,
    )
  }
  return document
}

/** Go's encoding/json also matches keys that differ only in case. */
function pipMirrorMembers(members: readonly JsonMember[]): JsonMember[] {
  return members.filter((member) => member.key.toLowerCase() === FIELD)
}

function insertMember(
  text: string,
  object: { open: number; close: number; members: JsonMember[] },
  key: string,
  value: string,
): string {
  const { members } = object
  const first = members[0]
  if (!first) {
    const member = `${DEFAULT_MEMBER_PREFIX}${key}: ${value}\n`
    return text.slice(0, object.open + 1) + member + text.slice(object.close)
  }
  const anchor = [...members].reverse().find((member) => member.key === ANCHOR_FIELD)
  const after = anchor ?? (members[members.length - 1] as JsonMember)
  const separator = text.slice(first.keyEnd, first.valueStart)
  const member = `,${memberPrefix(text, object)}${key}${separator.includes('\n') ? ': ' : separator}${value}`
  return text.slice(0, after.valueEnd) + member + text.slice(after.valueEnd)
}

/**
 * The whitespace that puts a member on its own line at the object's indentation (line ending
 * and indent copied from the first member), or that separates members on a single line.
 */
function memberPrefix(
  text: string,
  { open, members }: { open: number; members: JsonMember[] },
): string {
  const first = members[0] as JsonMember
  const beforeFirst = text.slice(open + 1, first.keyStart)
  const lineStart = beforeFirst.lastIndexOf('\n')
  if (lineStart >= 0) {
    const lineEnding = beforeFirst[lineStart - 1] === '\r' ? '\r\n' : '\n'
    return lineEnding + beforeFirst.slice(lineStart + 1)
  }
  const second = members[1]
  if (!second) return beforeFirst
  const betweenMembers = text.slice(first.valueEnd, second.keyStart)
  return betweenMembers.slice(betweenMembers.indexOf(',') + 1)
}
