import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { commandLine, quote, scriptCommand } from '../../src-main/engine/remote/quote'

/** Runs a quoted command line in a real /bin/sh and returns what each argument arrived as. */
function argsSeenByShell(args: string[], cwd: string): string[] {
  const line = commandLine(['printf', '%s\\0', ...args])
  const result = spawnSync('/bin/sh', ['-c', line], { cwd, encoding: 'utf8' })
  expect(result.status).toBe(0)
  return result.stdout.split('\0').slice(0, -1)
}

const hostile = [
  '',
  ' ',
  'two words',
  "it's",
  "''",
  '"double"',
  '$(touch SENTINEL)',
  '`touch SENTINEL`',
  '; touch SENTINEL',
  '&& touch SENTINEL',
  '| touch SENTINEL',
  '> SENTINEL',
  'a\ntouch SENTINEL',
  'a\r\ntouch SENTINEL',
  '$HOME',
  '${IFS}',
  '\\',
  "\\'",
  '-rf',
  '--help',
  '*',
  '~',
  '!!',
  'ünïcødé ✓ 日本語',
  "'; touch SENTINEL; echo '",
  "$(printf '\\x27')",
  'x'.repeat(10_000),
]

describe('quote', () => {
  it('leaves plain words readable', () => {
    expect(quote('/srv/pypi')).toBe('/srv/pypi')
    expect(quote('requests==2.31.0')).toBe('requests==2.31.0')
  })

  it('delivers every hostile value to the shell unchanged and runs nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quote-'))
    expect(argsSeenByShell(hostile, dir)).toEqual(hostile)
    expect(readdirSync(dir)).toEqual([])
  })

  it('refuses NUL, which no shell argument can carry', () => {
    expect(() => quote('a\0b')).toThrow(/NUL/)
  })

  it('passes script inputs as positional parameters, never as script text', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quote-'))
    const argv = scriptCommand('printf "%s\\0" "$@"', hostile)
    const result = spawnSync('/bin/sh', ['-c', commandLine(argv)], { cwd: dir, encoding: 'utf8' })
    expect(result.stdout.split('\0').slice(0, -1)).toEqual(hostile)
    expect(readdirSync(dir)).toEqual([])
  })

  it('refuses an empty command', () => {
    expect(() => commandLine([])).toThrow()
  })
})
