/**
 * A strict JSON (RFC 8259) scanner that reports where each top-level member of an object sits in
 * the text, so one value can be replaced while every other byte stays as it was.
 */

export interface JsonMember {
  /** The key, unescaped. */
  key: string
  /** Offsets into the text: the key's opening quote, just past its closing quote. */
  keyStart: number
  keyEnd: number
  /** The value's first character and just past its last. */
  valueStart: number
  valueEnd: number
  /** The value unescaped when it is a string, else null. */
  stringValue: string | null
}

export type JsonDocument =
  | { type: 'object'; open: number; close: number; members: JsonMember[] }
  | { type: 'array' | 'string' | 'number' | 'boolean' | 'null' }

export class JsonSyntaxError extends Error {
  override name = 'JsonSyntaxError'
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`line ${line}, column ${column}: ${reason}`)
  }
}

const MAX_DEPTH = 512

const SIMPLE_ESCAPES = new Map([
  ['"', '"'],
  ['\\', '\\'],
  ['/', '/'],
  ['b', '\b'],
  ['f', '\f'],
  ['n', '\n'],
  ['r', '\r'],
  ['t', '\t'],
])

/** Scans a whole JSON text; throws JsonSyntaxError (with line and column) if it is not JSON. */
export function scanJson(text: string): JsonDocument {
  return new Scanner(text).document()
}

type ScannedValue =
  | { type: 'object'; members: JsonMember[] }
  | { type: 'string'; value: string }
  | { type: 'array' | 'number' | 'boolean' | 'null' }

class Scanner {
  private pos = 0

  constructor(private readonly text: string) {}

  document(): JsonDocument {
    this.skipWhitespace()
    if (this.pos >= this.text.length) this.fail('the text is empty, expected a JSON value')
    const open = this.pos
    const value = this.value(1)
    const close = this.pos - 1
    this.skipWhitespace()
    if (this.pos < this.text.length) this.fail(`unexpected ${this.describe()} after the JSON value`)
    if (value.type !== 'object') return { type: value.type }
    return { type: 'object', open, close, members: value.members }
  }

  private value(depth: number): ScannedValue {
    if (depth > MAX_DEPTH) this.fail('values are nested too deeply')
    const char = this.text[this.pos]
    if (char === '{') return { type: 'object', members: this.object(depth + 1) }
    if (char === '[') {
      this.array(depth + 1)
      return { type: 'array' }
    }
    if (char === '"') return { type: 'string', value: this.string() }
    if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) {
      this.number()
      return { type: 'number' }
    }
    for (const [word, type] of [
      ['true', 'boolean'],
      ['false', 'boolean'],
      ['null', 'null'],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length
        return { type }
      }
    }
    return this.fail(`expected a value, found ${this.describe()}`)
  }

  private object(depth: number): JsonMember[] {
    const members: JsonMember[] = []
    this.pos++ // {
    this.skipWhitespace()
    if (this.text[this.pos] === '}') {
      this.pos++
      return members
    }
    for (;;) {
      if (this.text[this.pos] !== '"') this.fail(`expected a quoted key, found ${this.describe()}`)
      const keyStart = this.pos
      const key = this.string()
      const keyEnd = this.pos
      this.skipWhitespace()
      if (this.text[this.pos] !== ':')
        this.fail(`expected ':' after a key, found ${this.describe()}`)
      this.pos++
      this.skipWhitespace()
      const valueStart = this.pos
      const value = this.value(depth)
      const stringValue = value.type === 'string' ? value.value : null
      members.push({ key, keyStart, keyEnd, valueStart, valueEnd: this.pos, stringValue })
      this.skipWhitespace()
      const next = this.text[this.pos]
      this.pos++
      if (next === '}') return members
      if (next !== ',') {
        this.pos--
        this.fail(`expected ',' or '}' after an object member, found ${this.describe()}`)
      }
      this.skipWhitespace()
    }
  }

  private array(depth: number): void {
    this.pos++ // [
    this.skipWhitespace()
    if (this.text[this.pos] === ']') {
      this.pos++
      return
    }
    for (;;) {
      this.value(depth)
      this.skipWhitespace()
      const next = this.text[this.pos]
      this.pos++
      if (next === ']') return
      if (next !== ',') {
        this.pos--
        this.fail(`expected ',' or ']' after an array element, found ${this.describe()}`)
      }
      this.skipWhitespace()
    }
  }

  private string(): string {
    this.pos++ // opening quote
    let result = ''
    for (;;) {
      const char = this.text[this.pos]
      if (char === undefined) this.fail('a string is not closed')
      if (char === '"') {
        this.pos++
        return result
      }
      if (char < ' ') this.fail('a control character inside a string must be escaped')
      if (char !== '\\') {
        result += char
        this.pos++
        continue
      }
      const escape = this.text[this.pos + 1] ?? ''
      const escaped = SIMPLE_ESCAPES.get(escape)
      if (escaped !== undefined) {
        result += escaped
        this.pos += 2
      } else if (
        escape === 'u' &&
        /^[0-9A-Fa-f]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))
      ) {
        result += String.fromCharCode(parseInt(this.text.slice(this.pos + 2, this.pos + 6), 16))
        this.pos += 6
      } else {
        this.pos++
        this.fail(`invalid escape sequence in a string`)
      }
    }
  }

  private number(): void {
    const match = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
    match.lastIndex = this.pos
    if (!match.test(this.text)) this.fail(`invalid number`)
    this.pos = match.lastIndex
  }

  private skipWhitespace(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos] as string)) {
      this.pos++
    }
  }

  private describe(): string {
    const char = this.text[this.pos]
    if (char === undefined) return 'the end of the text'
    const code = char.codePointAt(0) ?? 0
    if (code < 0x20 || code > 0x7e) return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
    return `'${char}'`
  }

  private fail(reason: string): never {
    const before = this.text.slice(0, this.pos)
    const line = before.split('\n').length
    const column = this.pos - (before.lastIndexOf('\n') + 1) + 1
    throw new JsonSyntaxError(reason, line, column)
  }
}
