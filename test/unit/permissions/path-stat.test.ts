import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PATH_STAT_SCRIPT, parsePathStat } from '../../../src-main/engine/permissions/path-stat'

/** The stat script in this machine's /bin/sh, on real directories and a symlink. */
describe('PATH_STAT_SCRIPT', () => {
  let top = ''
  beforeAll(() => {
    top = realpathSync(mkdtempSync(join(tmpdir(), 'pmw-stat-')))
    mkdirSync(join(top, 'data', 'pypi', 'web'), { recursive: true, mode: 0o750 })
    symlinkSync(join(top, 'data', 'pypi'), join(top, 'pypi'))
    writeFileSync(join(top, 'file'), '')
  })
  afterAll(() => {
    if (top) rmSync(top, { recursive: true, force: true })
  })

  function run(path: string, mirror = '') {
    return parsePathStat(
      execFileSync('sh', ['-c', PATH_STAT_SCRIPT, 'sh', path, mirror], { encoding: 'utf8' }),
      path,
    )
  }

  it('stats every component from / down', () => {
    const web = join(top, 'data', 'pypi', 'web')
    const result = run(web)
    expect(result.literal.map((c) => c.path)).toEqual([
      '/',
      ...web
        .split('/')
        .slice(1)
        .map((_, i, parts) => `/${parts.slice(0, i + 1).join('/')}`),
    ])
    expect(result.literal.every((c) => c.kind === 'directory')).toBe(true)
    expect(result.literal.at(-1)?.mode).toBe(0o750 & ~process.umask())
    expect(result.canonical).toEqual([])
    expect(result.canonicalRoot).toBeNull()
  })

  it('records a symlink and walks the real path too', () => {
    const result = run(join(top, 'pypi', 'web'))
    const link = result.literal.find((c) => c.kind === 'symlink')
    expect(link).toMatchObject({ path: join(top, 'pypi'), linkTarget: join(top, 'data', 'pypi') })
    expect(result.canonicalRoot).toBe(join(top, 'data', 'pypi', 'web'))
    expect(result.canonical.at(-1)?.inode).toBe(result.literal.at(-1)?.inode)
  })

  it("names the mirror directory's real path and owner, and people's homes", () => {
    const result = run(join(top, 'pypi', 'web'), join(top, 'pypi'))
    expect(result.mirror).toEqual({ realPath: join(top, 'data', 'pypi'), uid: 0, owner: 'root' })
    const passwd = execFileSync('getent', ['passwd'], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.split(':'))
      .filter((f) => Number(f[2]) >= 1000 && Number(f[2]) !== 65534)
    expect(result.homes.map((h) => h.user).sort()).toEqual(passwd.map((f) => f[0]).sort())
    expect(run(join(top, 'nope', 'web'), join(top, 'nope')).mirror).toBeNull()
  })

  it('stops at a missing component and at a file', () => {
    const missing = run(join(top, 'nope', 'web'))
    expect(missing.literal.at(-1)).toMatchObject({ path: join(top, 'nope'), kind: 'missing' })
    const file = run(join(top, 'file', 'web'))
    expect(file.literal.map((c) => c.kind).slice(-2)).toEqual(['file', 'missing'])
  })
})
