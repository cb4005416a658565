import { parseSpecifier, specifierContains } from './pep440'

/**
 * PEP 508 environment markers, parsed and evaluated as `packaging.markers` does: a comparison
 * whose right side makes a valid version specifier is a version comparison, anything else a
 * string comparison. Variables a target does not know (platform_release ...) make the result
 * `unknown`, combined with Kleene's three-valued `and` / `or`.
 */

export type Truth = boolean | 'unknown'

type Operand = { kind: 'variable'; name: string } | { kind: 'string'; value: string }

export type MarkerNode =
  | { kind: 'and' | 'or'; left: MarkerNode; right: MarkerNode }
  | { kind: 'compare'; left: Operand; op: string; right: Operand }

/** Marker variables by their PEP 508 names; the dotted and legacy spellings packaging accepts. */
const VARIABLES: Record<string, string> = {
  python_version: 'python_version',
  python_full_version: 'python_full_version',
  os_name: 'os_name',
  'os.name': 'os_name',
  sys_platform: 'sys_platform',
  'sys.platform': 'sys_platform',
  platform_release: 'platform_release',
  'platform.release': 'platform_release',
  platform_system: 'platform_system',
  platform_version: 'platform_version',
  'platform.version': 'platform_version',
  platform_machine: 'platform_machine',
  'platform.machine': 'platform_machine',
  platform_python_implementation: 'platform_python_implementation',
  'platform.python_implementation': 'platform_python_implementation',
  python_implementation: 'platform_python_implementation',
  implementation_name: 'implementation_name',
  implementation_version: 'implementation_version',
  extra: 'extra',
}

const TOKEN =
  /\s*(?:(\()|(\))|(===|==|!=|~=|<=|>=|<|>)|(not\s+in\b)|(in\b)|(and\b)|(or\b)|'([^']*)'|"([^"]*)"|([A-Za-z_][A-Za-z0-9_.]*))/y

type Token =
  | { t: '(' | ')' | 'and' | 'or' }
  | { t: 'op'; v: string }
  | { t: 'str'; v: string }
  | { t: 'var'; v: string }

export class MarkerSyntaxError extends Error {
  override name = 'MarkerSyntaxError'
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  TOKEN.lastIndex = 0
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break
    const at = TOKEN.lastIndex
    const m = TOKEN.exec(text)
    if (!m) throw new MarkerSyntaxError(`unexpected text at ${at}: ${text.slice(at, at + 20)}`)
    if (m[1]) tokens.push({ t: '(' })
    else if (m[2]) tokens.push({ t: ')' })
    else if (m[3]) tokens.push({ t: 'op', v: m[3] })
    else if (m[4]) tokens.push({ t: 'op', v: 'not in' })
    else if (m[5]) tokens.push({ t: 'op', v: 'in' })
    else if (m[6]) tokens.push({ t: 'and' })
    else if (m[7]) tokens.push({ t: 'or' })
    else if (m[8] !== undefined || m[9] !== undefined)
      tokens.push({ t: 'str', v: m[8] ?? m[9] ?? '' })
    else {
      const name = VARIABLES[m[10] as string]
      if (!name) throw new MarkerSyntaxError(`${m[10]} is not a marker variable`)
      tokens.push({ t: 'var', v: name })
    }
  }
  return tokens
}

export function parseMarker(text: string): MarkerNode {
  const tokens = tokenize(text)
  let i = 0
  const operand = (): Operand => {
    const token = tokens[i++]
    if (token?.t === 'var') return { kind: 'variable', name: token.v }
    if (token?.t === 'str') return { kind: 'string', value: token.v }
    throw new MarkerSyntaxError(`expected a variable or a quoted string in "${text}"`)
  }
  const atom = (): MarkerNode => {
    if (tokens[i]?.t === '(') {
      i++
      const inner = or()
      if (tokens[i++]?.t !== ')') throw new MarkerSyntaxError(`unbalanced parentheses in "${text}"`)
      return inner
    }
    const left = operand()
    const op = tokens[i++]
    if (op?.t !== 'op') throw new MarkerSyntaxError(`expected a comparison in "${text}"`)
    return { kind: 'compare', left, op: op.v, right: operand() }
  }
  const and = (): MarkerNode => {
    let node = atom()
    while (tokens[i]?.t === 'and') {
      i++
      node = { kind: 'and', left: node, right: atom() }
    }
    return node
  }
  const or = (): MarkerNode => {
    let node = and()
    while (tokens[i]?.t === 'or') {
      i++
      node = { kind: 'or', left: node, right: and() }
    }
    return node
  }
  const node = or()
  if (i !== tokens.length)
    throw new MarkerSyntaxError(`unexpected text after a marker in "${text}"`)
  return node
}

/** Marker variables' values; a missing one is unknown for this target. */
export type MarkerEnvironment = Partial<Record<string, string>>

const STRING_OPS: Record<string, (l: string, r: string) => boolean> = {
  '==': (l, r) => l === r,
  '!=': (l, r) => l !== r,
  in: (l, r) => r.includes(l),
  'not in': (l, r) => !r.includes(l),
  '<': (l, r) => l < r,
  '<=': (l, r) => l <= r,
  '>': (l, r) => l > r,
  '>=': (l, r) => l >= r,
}

function compare(lhs: string, op: string, rhs: string): Truth {
  if (op !== 'in' && op !== 'not in') {
    const spec = parseSpecifier(`${op}${rhs}`)
    if (spec) return specifierContains(spec, lhs)
  }
  const string = STRING_OPS[op]
  return string ? string(lhs, rhs) : 'unknown'
}

function value(operand: Operand, env: MarkerEnvironment): string | undefined {
  return operand.kind === 'string' ? operand.value : env[operand.name]
}

export function evaluateMarker(node: MarkerNode, env: MarkerEnvironment): Truth {
  if (node.kind === 'compare') {
    const [l, r] = [value(node.left, env), value(node.right, env)]
    if (l === undefined || r === undefined) return 'unknown'
    return compare(l, node.op, r)
  }
  const [a, b] = [evaluateMarker(node.left, env), evaluateMarker(node.right, env)]
  if (node.kind === 'and') {
    if (a === false || b === false) return false
    return a === true && b === true ? true : 'unknown'
  }
  if (a === true || b === true) return true
  return a === false && b === false ? false : 'unknown'
}

/** Several environments (every patch release of a Python): true when any is, false when all are. */
export function evaluateMarkerAcross(
  text: string,
  environments: readonly MarkerEnvironment[],
): Truth {
  const node = parseMarker(text)
  const results = environments.map((env) => evaluateMarker(node, env))
  if (results.includes(true)) return true
  return results.every((r) => r === false) ? false : 'unknown'
}
