import { describe, expect, it } from 'vitest'
import { JsonSyntaxError, scanJson } from '../../../src-main/engine/config/json-members'

const samples = [
  '{}',
  ' { "a" : [ 1 , -2.5e+3, 0, 0.5, 1E2, true, false, null, "x" ] } ',
  '{"a":{"b":{"c":[[],{}]}}}',
  '"just a string"',
  '[1, 2]',
  '{"\\u00e9\\n\\"\\\\\\/\\b\\f\\r\\t": "\\ud83d\\ude00"}',
  '{"a":1,}',
  '{"a":01}',
  '{"a":-}',
  '{"a":1.}',
  '{"a":.5}',
  '{"a":+1}',
  '{"a":"tab\there"}',
  '{"a":"\\x"}',
  '{"a":"\\u12"}',
  '{"a" 1}',
  '{a:1}',
  "{'a':1}",
  '[1,2',
  'tru',
  'nul',
  '{"a":1}x',
  '{"a":NaN}',
  '',
  '   ',
  '{"a":[1,]}',
  '{,}',
]

describe('scanJson', () => {
  it.each(samples)('agrees with JSON.parse on validity: %j', (text) => {
    let parses = true
    try {
      JSON.parse(text)
    } catch {
      parses = false
    }
    if (parses) expect(() => scanJson(text)).not.toThrow()
    else expect(() => scanJson(text)).toThrow(JsonSyntaxError)
  })

  it('reports the spans and unescaped values of top-level members', () => {
    const text = '{\n  "a\\u0062": "x\\"y",\n  "n": {"a": 1}\n}'
    const document = scanJson(text)
    if (document.type !== 'object') throw new Error('expected an object')
    expect(document.members.map((m) => m.key)).toEqual(['ab', 'n'])
    const [first, second] = document.members
    expect(text.slice(first?.keyStart, first?.keyEnd)).toBe('"a\\u0062"')
    expect(text.slice(first?.valueStart, first?.valueEnd)).toBe('"x\\"y"')
    expect(first?.stringValue).toBe('x"y')
    expect(text.slice(second?.valueStart, second?.valueEnd)).toBe('{"a": 1}')
    expect(second?.stringValue).toBeNull()
    expect(text[document.open]).toBe('{')
    expect(text[document.close]).toBe('}')
  })

  it('names the type of a document that is not an object', () => {
    expect(scanJson('[1]').type).toBe('array')
    expect(scanJson(' null ').type).toBe('null')
  })

  it('refuses nesting deep enough to exhaust the stack', () => {
    expect(() => scanJson('['.repeat(100_000))).toThrow(/nested too deeply/)
  })
})
