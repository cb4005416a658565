import { describe, expect, it } from 'vitest'
import { unifiedDiff } from '../../../src-main/engine/config/diff'
import {
  checkPipMirrorUrl,
  readPipMirror,
  setPipMirror,
  WorkerConfigError,
} from '../../../src-main/engine/config/worker-config'
import { expectGolden, readGolden } from './golden'

const URL = 'http://10.0.0.5:8080/pypi'

function parsed(text: string): Record<string, unknown> {
  return JSON.parse(text) as Record<string, unknown>
}

describe('setPipMirror on real config.json files', () => {
  const goldens: [string, string][] = [
    ['OpenLambda default (tabs, no final newline, empty pip_mirror)', 'config'],
    ['2 spaces, final newline, no pip_mirror but a registry', 'config-2-spaces'],
    ['4 spaces, neither pip_mirror nor registry', 'config-4-spaces'],
  ]

  it.each(goldens)('%s: matches the golden', (_name, golden) => {
    const before = readGolden(`${golden}.before.json`)
    const edit = setPipMirror(before, URL)
    expect(edit.changed).toBe(true)
    expectGolden(`${golden}.after.json`, edit.text)
    expect(parsed(edit.text)).toEqual({ ...parsed(before), pip_mirror: URL })
  })

  it.each(goldens)('%s: changes nothing the second time', (_name, golden) => {
    const once = setPipMirror(readGolden(`${golden}.before.json`), URL).text
    expect(setPipMirror(once, URL)).toEqual({ text: once, changed: false, previous: URL })
  })

  it('shows as a one-line diff when the field exists', () => {
    const before = readGolden('config.before.json')
    const diff = unifiedDiff(before, setPipMirror(before, URL).text, { path: 'config.json' })
    const changed = diff.split('\n').filter((line) => /^[-+][^-+]/.test(line))
    expect(changed).toEqual(['-\t"pip_mirror": "",', `+\t"pip_mirror": "${URL}",`])
  })

  it('adds the field after registry, in the file’s indentation', () => {
    const text = setPipMirror(readGolden('config-2-spaces.before.json'), URL).text
    expect(text).toContain(
      `  "registry": "/srv/ol/registry",\n  "pip_mirror": "${URL}",\n  "registry_cache_ms"`,
    )
    expect(text.endsWith('}\n')).toBe(true)
  })

  it('reports the previous value', () => {
    expect(setPipMirror(readGolden('config.before.json'), URL).previous).toBe('')
    expect(setPipMirror(readGolden('config-4-spaces.before.json'), URL).previous).toBeNull()
    expect(setPipMirror('{"pip_mirror": "http://old:1/x"}', URL).previous).toBe('http://old:1/x')
  })
})

describe('setPipMirror layouts', () => {
  it('keeps tabs', () => {
    expect(setPipMirror('{\n\t"registry": "r"\n}', URL).text).toBe(
      `{\n\t"registry": "r",\n\t"pip_mirror": "${URL}"\n}`,
    )
  })

  it('keeps CRLF line endings', () => {
    expect(setPipMirror('{\r\n  "a": 1\r\n}\r\n', URL).text).toBe(
      `{\r\n  "a": 1,\r\n  "pip_mirror": "${URL}"\r\n}\r\n`,
    )
  })

  it('keeps a single-line object on one line', () => {
    expect(setPipMirror('{"registry":"r","a":1}', URL).text).toBe(
      `{"registry":"r","pip_mirror":"${URL}","a":1}`,
    )
    expect(setPipMirror('{ "a": 1, "b": 2 }', URL).text).toBe(
      `{ "a": 1, "b": 2, "pip_mirror": "${URL}" }`,
    )
  })

  it('fills an empty object', () => {
    expect(setPipMirror('{}\n', URL).text).toBe(`{\n\t"pip_mirror": "${URL}"\n}\n`)
  })

  it('replaces a value of the wrong type', () => {
    expect(setPipMirror('{"pip_mirror": null}', URL)).toEqual({
      text: `{"pip_mirror": "${URL}"}`,
      changed: true,
      previous: null,
    })
  })

  it('sets every top-level occurrence, matching keys as Go does (escapes, any case)', () => {
    const text = '{"pip_mirror": "a", "Pip_Mirror": "b", "pip\\u005fmirror": "c"}'
    const edit = setPipMirror(text, URL)
    expect(edit.text).toBe(
      `{"pip_mirror": "${URL}", "Pip_Mirror": "${URL}", "pip\\u005fmirror": "${URL}"}`,
    )
    expect(edit.previous).toBe('c')
  })

  it('leaves nested pip_mirror fields alone', () => {
    const text = '{\n  "docker": {"pip_mirror": "x"},\n  "registry": "r"\n}'
    expect(parsed(setPipMirror(text, URL).text)).toEqual({
      docker: { pip_mirror: 'x' },
      registry: 'r',
      pip_mirror: URL,
    })
  })

  it('keeps an equal value written with escapes', () => {
    const text = '{"pip_mirror": "http:\\/\\/10.0.0.5:8080\\/pypi"}'
    expect(setPipMirror(text, URL)).toEqual({ text, changed: false, previous: URL })
  })
})

describe('setPipMirror refuses', () => {
  const invalid: [string, string, RegExp][] = [
    ['a trailing comma', '{\n\t"a": 1,\n}', /line 3, column 1: expected a quoted key/],
    ['a missing comma', '{\n  "a": 1\n  "b": 2\n}', /line 3, column 3: expected ',' or '}'/],
    ['an unclosed object', '{"a": 1', /line 1, column 8/],
    ['a comment', '{\n  // note\n  "a": 1\n}', /line 2, column 3/],
    ['text after the object', '{"a": 1}\n}', /line 2, column 1: unexpected '}'/],
    ['a byte order mark', '\ufeff{"a": 1}', /line 1, column 1: expected a value, found U\+FEFF/],
    ['empty text', '', /empty/],
  ]

  it.each(invalid)('invalid JSON (%s) with the line and column', (_name, text, message) => {
    expect(() => setPipMirror(text, URL)).toThrow(WorkerConfigError)
    expect(() => setPipMirror(text, URL)).toThrow(message)
    expect(() => readPipMirror(text)).toThrow(WorkerConfigError)
  })

  it.each(['[]', '"config"', 'null', '42'])('a document that is not an object: %s', (text) => {
    expect(() => setPipMirror(text, URL)).toThrow(/not an object/)
  })

  const badUrls = [
    'http://10.0.0.5:8080/pypi/',
    'http://10.0.0.5:8080/pypi/simple',
    'http://10.0.0.5:8080/simple',
    'http://10.0.0.5:8080/',
    'ftp://10.0.0.5/pypi',
    '10.0.0.5:8080/pypi',
    'http://10.0.0.5:8080/py pi',
    'http://10.0.0.5:8080/pypi\n',
    'http://10.0.0.5:8080/"pypi',
    'http://10.0.0.5:99999/pypi',
    'http://10.0.0.5:08080/pypi',
    'http://user@10.0.0.5:8080/pypi',
    'http://10.0.0.5:8080/pypi?x=1',
    'http://10.0.0.5:8080/pypi#x',
    'http://10.0.0.5:8080/../pypi',
    'http://bad_host:8080/pypi',
    'http://10.0.0.5:8080//pypi',
  ]

  it.each(badUrls)('the URL %j', (url) => {
    expect(() => setPipMirror('{}', url)).toThrow(WorkerConfigError)
  })

  it('explains what a good URL looks like', () => {
    expect(() => checkPipMirrorUrl('http://10.0.0.5:8080/pypi/simple')).toThrow(
      /pip adds itself; give it as http:\/\/<address>:<port><location>/,
    )
  })

  it.each([
    URL,
    'https://mirror.example.org/pypi',
    'http://10.0.0.5:8080',
    'http://mirror:8080/a/b-c/d.e',
    'http://[fd00::5]:8080/pypi',
  ])('but accepts %s', (url) => {
    expect(() => checkPipMirrorUrl(url)).not.toThrow()
  })
})

describe('readPipMirror', () => {
  it('reads the value OpenLambda uses', () => {
    expect(readPipMirror(setPipMirror(readGolden('config.before.json'), URL).text)).toBe(URL)
    expect(readPipMirror(readGolden('config.before.json'))).toBe('')
    expect(readPipMirror(readGolden('config-4-spaces.before.json'))).toBeNull()
    expect(readPipMirror('{"pip_mirror": "a", "pip_mirror": "b"}')).toBe('b')
    expect(readPipMirror('{"pip_mirror": 5}')).toBeNull()
  })
})
