import { describe, expect, it } from 'vitest'
import { escapeHidden, printable, printableDeep } from '../../src-main/engine/printable'

describe('printable', () => {
  it('keeps ordinary text, tabs, newlines and any script', () => {
    const text = 'Downloading numpy-1.26.4.whl\t12 MB\nünï ✓ 日本語 עברית العربية\n'
    expect(printable(text)).toBe(text)
  })

  it('removes terminal escape sequences whole: colours, cursor moves, clears, titles', () => {
    expect(printable('\x1b[31mred\x1b[0m')).toBe('red')
    expect(printable('ok\x1b[2K\x1b[1A\x1b[999Dfake')).toBe('okfake')
    expect(printable('\x1b]0;owned title\x07after')).toBe('after')
    expect(printable('\x1b]8;;http://evil/\x1b\\link\x1b]8;;\x1b\\')).toBe('link')
    expect(printable('\x9b31mC1 CSI')).toBe('C1 CSI')
    expect(printable('reset\x1bc')).toBe('reset')
  })

  it('removes carriage returns, backspaces, bells, NUL, DEL and C1 controls', () => {
    expect(printable('real error\rall good  ')).toBe('real errorall good  ')
    expect(printable('rm -rf /\b\b\b\b\b\b\b\bls')).toBe('rm -rf /ls')
    expect(printable('a\x07b\x00c\x7fd\x85e\x9ff')).toBe('abcdef')
  })

  it('removes bidi embeddings, overrides, isolates and marks (Trojan Source)', () => {
    const hidden = '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c'
    expect(printable(`evil${hidden}.txt`)).toBe('evil.txt')
    // A file name that would display as "harmless_gpj.exe" reversed: shown in its real order.
    expect(printable('harmless_\u202egpj.exe')).toBe('harmless_gpj.exe')
  })

  it('cleans every string inside an event, leaving other values alone', () => {
    const event = {
      type: 'log',
      line: 'x\x1b[2Ky',
      nested: [{ path: '/srv/\u202eevil' }],
      count: 3,
      ok: true,
      none: null,
    }
    expect(printableDeep(event)).toEqual({
      type: 'log',
      line: 'xy',
      nested: [{ path: '/srv/evil' }],
      count: 3,
      ok: true,
      none: null,
    })
  })
})

describe('escapeHidden (JSON lines)', () => {
  it('writes hidden characters as \\u escapes, so JSON keeps the exact value', () => {
    const value = { file: 'a\u202eb\x85c' }
    const line = escapeHidden(JSON.stringify(value))
    expect(line).toBe('{"file":"a\\u202eb\\u0085c"}')
    expect(JSON.parse(line)).toEqual(value)
  })
})
