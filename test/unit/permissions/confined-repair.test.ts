import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { execFileSync, spawnSync } from 'node:child_process'
import {
  chmodSync,
  chownSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  CONFINED,
  CONFINED_REPAIR_PY,
  SYSTEM_PYTHON,
  seedArgv,
  traverseArgv,
  treeRepairArgv,
  type RepairScope,
} from '../../../src-main/engine/permissions/confined-repair'
import { LAYOUT_NAMES } from '../../../src-main/engine/permissions/confinement'
import {
  EXECUTE,
  READ,
  missingBits,
  permissionClass,
} from '../../../src-main/engine/permissions/mode-bits'
import { treeBranches } from '../../../src-main/engine/permissions/tree-predicates'
import {
  EXAMPLES_PER_KIND,
  TREE_SCAN_SCRIPT,
  parseTreeScan,
  scanExpression,
} from '../../../src-main/engine/permissions/tree-scan'

const WWW = { name: 'www-data', uid: 33, gids: [33, 4] }
const SCOPE: RepairScope = {
  mirror: '/srv/pypi',
  via: '/srv/pypi/web',
  web: '/data/pypi-web',
  owner: 1000,
}

describe('the confined helper as a command', () => {
  it('is the helper file run by the system Python, isolated, with the whole selector in argv', () => {
    const argv = treeRepairArgv(SCOPE, WWW, [
      { type: 'file', grant: 'o+r' },
      { type: 'directory', grant: 'o+rx' },
    ])
    expect(argv.slice(0, 4)).toEqual([SYSTEM_PYTHON, '-I', '-c', CONFINED_REPAIR_PY])
    expect(argv.slice(4)).toEqual([
      'tree',
      '--mirror',
      '/srv/pypi',
      '--via',
      '/srv/pypi/web',
      '--web',
      '/data/pypi-web',
      '--owner',
      '1000',
      '--names',
      LAYOUT_NAMES.join(','),
      '--for',
      '33:33,4',
      '--add',
      'file:o+r',
      '--add',
      'dir:o+rx',
      ...CONFINED,
    ])
    expect(traverseArgv(SCOPE, 'o+x', '/data').slice(4)).toEqual([
      'traverse',
      ...argv.slice(5, 13),
      '--add',
      'o+x',
      '/data',
    ])
    expect(seedArgv(SCOPE, '0755', { uid: 33, gid: 33 }).slice(13)).toEqual([
      '--names',
      LAYOUT_NAMES.join(','),
      '--mode',
      '0755',
      '--chown',
      '33:33',
      ...CONFINED,
    ])
  })
})

function run(argv: string[]): { status: number | null; stdout: string; stderr: string } {
  const [file, ...args] = argv
  const result = spawnSync(file as string, args, { encoding: 'utf8' })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

interface Left {
  changed: number
  left: Record<string, number>
  examples: Record<string, string[]>
}

/**
 * The scan and the helper on real files, as root (chown): a tree of random owners, groups and
 * modes inside bandersnatch's layout, with foreign entries, links, a hard link another user
 * owns and a fifo beside it. The kernel's rule (in TypeScript), find's selection and the
 * helper's changes must be the same entries; nothing else may change.
 */
const isRoot = process.getuid?.() === 0
describe.skipIf(!isRoot)('the scan and the helper on real files', () => {
  let top = ''
  let web = ''
  let scope: RepairScope
  const uids = [0, 33, 1234]
  const gids = [0, 33, 4, 1234]
  const modes = [
    0o600, 0o640, 0o604, 0o644, 0o400, 0o040, 0o004, 0o000, 0o700, 0o750, 0o705, 0o711, 0o755,
    0o500, 0o050, 0o005,
  ]
  let seed = 42
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31
    return seed % n
  }
  const entries: { path: string; type: 'file' | 'directory' }[] = []
  let untouchable: string[] = []

  beforeAll(() => {
    top = realpathSync(mkdtempSync(join(tmpdir(), 'pmw-confined-')))
    chmodSync(top, 0o755)
    const mirror = join(top, 'mirror')
    web = join(mirror, 'web')
    mkdirSync(web, { recursive: true })
    scope = { mirror, via: web, web, owner: 0 }
    for (let d = 0; d < 12; d++) {
      const dir = join(web, d % 2 ? 'packages' : 'simple', `d${d}`)
      mkdirSync(dir, { recursive: true })
      entries.push({ path: dir, type: 'directory' })
      for (let f = 0; f < 10; f++) {
        const file = join(dir, `f${f}.whl`)
        writeFileSync(file, 'x')
        entries.push({ path: file, type: 'file' })
      }
    }
    writeFileSync(join(web, 'last-modified'), 'now')
    entries.push({ path: join(web, 'last-modified'), type: 'file' })
    for (const entry of entries) {
      chownSync(
        entry.path,
        uids[random(uids.length)] as number,
        gids[random(gids.length)] as number,
      )
      chmodSync(entry.path, modes[random(modes.length)] as number)
    }
    // What must never change: a foreign file and directory, a secret behind a link and a
    // hard link that another user owns, and a fifo.
    mkdirSync(join(top, 'secret'))
    const secret = join(top, 'secret', 'shadow')
    writeFileSync(secret, 's', { mode: 0o600 })
    chownSync(secret, 1234, 1234)
    writeFileSync(join(web, 'backup.tar'), 'b', { mode: 0o600 })
    mkdirSync(join(web, 'notes'), { mode: 0o700 })
    writeFileSync(join(web, 'notes', 'n.txt'), 'n', { mode: 0o600 })
    symlinkSync(secret, join(web, 'packages', 'd1', 'evil.whl'))
    symlinkSync(join(top, 'secret'), join(web, 'simple', 'd0', 'evil-dir'))
    linkSync(secret, join(web, 'packages', 'd3', 'hard.whl'))
    execFileSync('mkfifo', ['-m', '0600', join(web, 'packages', 'fifo')])
    untouchable = [
      secret,
      join(top, 'secret'),
      join(web, 'backup.tar'),
      join(web, 'notes'),
      join(web, 'notes', 'n.txt'),
      join(web, 'packages', 'fifo'),
      join(mirror),
    ]
  })

  afterAll(() => {
    if (top) rmSync(top, { recursive: true, force: true })
  })

  function wrongByTypeScript(): string[] {
    return entries
      .filter((entry) => {
        const stats = lstatSync(entry.path)
        const cls = permissionClass({ uid: stats.uid, gid: stats.gid }, WWW)
        const wanted = entry.type === 'file' ? READ : READ | EXECUTE
        return missingBits(stats.mode & 0o7777, cls, wanted) !== 0
      })
      .map((entry) => entry.path.slice(web.length + 1))
      .sort()
  }

  function scan() {
    const branches = treeBranches(WWW)
    const output = execFileSync(
      'sh',
      [
        '-c',
        TREE_SCAN_SCRIPT,
        'sh',
        web,
        '1000',
        LAYOUT_NAMES.join(','),
        ...scanExpression(branches, scope.owner),
      ],
      { encoding: 'utf8' },
    )
    return parseTreeScan(output, web, branches)
  }

  it('find selects exactly what the kernel rule says inside the layout, and tags the rest', () => {
    const expected = wrongByTypeScript()
    expect(expected.length).toBeGreaterThan(20)
    const result = scan()
    const listed = result.wrong.flatMap((kind) => kind.examples.map((e) => e.path)).sort()
    expect(listed).toEqual(expected)
    expect(result.wrongFiles + result.wrongDirectories).toBe(expected.length)
    expect(result.layoutEntries).toBe(entries.length + 2) // and the layout's own directories
    expect(result.leftAlone.foreign.examples.map((e) => e.path).sort()).toEqual([
      'backup.tar',
      'notes',
    ])
    expect(result.leftAlone.sharedLinks.examples.map((e) => e.path)).toEqual([
      'packages/d3/hard.whl',
    ])
    expect(result.leftAlone.special.examples.map((e) => e.path)).toEqual(['packages/fifo'])
    expect(result.symlinks).toBe(2)
    expect(result.outsideLinks.count).toBe(2)
    expect(result.findStatus).toBe(0)
    expect(EXAMPLES_PER_KIND).toBeLessThan(1000)
  })

  it('the helper changes exactly those entries, nothing else, and nothing on a second run', () => {
    const before = new Map(
      [...entries.map((e) => e.path), ...untouchable].map((p) => [p, lstatSync(p)]),
    )
    const wrong = new Set(wrongByTypeScript().map((p) => join(web, p)))
    const grants = scan().wrong.map((kind) => ({
      type: kind.branch.type,
      grant: kind.branch.grant,
    }))
    const result = run(treeRepairArgv(scope, WWW, grants))
    expect(result.status, result.stderr).toBe(0)
    const report = JSON.parse(result.stdout) as Left
    expect(report.changed).toBe(wrong.size)
    expect(report.left).toEqual({ foreign: 2, symlink: 2, 'shared-link': 1, special: 1 })
    expect(wrongByTypeScript()).toEqual([])
    for (const [path, was] of before) {
      const now = lstatSync(path)
      expect([now.uid, now.gid], path).toEqual([was.uid, was.gid])
      if (!wrong.has(path)) expect(now.ctimeMs, path).toBe(was.ctimeMs)
    }
    const settled = new Map(entries.map((e) => [e.path, lstatSync(e.path).ctimeMs]))
    const again = run(treeRepairArgv(scope, WWW, grants))
    expect(JSON.parse(again.stdout)).toMatchObject({ changed: 0 })
    for (const entry of entries) expect(lstatSync(entry.path).ctimeMs).toBe(settled.get(entry.path))
    expect(scan().wrong).toEqual([])
  })

  it('the seed gives the layout and the served directory to nginx, and nothing else', () => {
    const config = join(scope.mirror, 'bandersnatch.conf')
    writeFileSync(config, '[mirror]', { mode: 0o600 })
    const result = run(seedArgv(scope, '0755', { uid: 33, gid: 33 }))
    expect(result.status, result.stderr).toBe(0)
    for (const path of [web, ...entries.map((e) => e.path)]) {
      const now = lstatSync(path)
      expect([now.uid, now.gid, now.mode & 0o7777], path).toEqual([33, 33, 0o755])
    }
    expect(lstatSync(config)).toMatchObject({ uid: 0, mode: 0o100600 })
    expect(lstatSync(join(top, 'secret', 'shadow'))).toMatchObject({ uid: 1234, mode: 0o100600 })
    expect(lstatSync(join(web, 'notes', 'n.txt')).mode & 0o777).toBe(0o600)
  })
})

describe.skipIf(!isRoot)('the helper refuses what the plan did not say', () => {
  let top = ''
  let scope: RepairScope
  let secret = ''
  beforeEach(() => {
    if (top) rmSync(top, { recursive: true, force: true })
    top = realpathSync(mkdtempSync(join(tmpdir(), 'pmw-refuse-')))
    chmodSync(top, 0o755)
    const web = join(top, 'mirror', 'web')
    mkdirSync(join(web, 'packages', 'aa'), { recursive: true })
    mkdirSync(join(top, 'secret'))
    secret = join(top, 'secret', 'shadow')
    writeFileSync(secret, 's', { mode: 0o600 })
    chmodSync(join(top, 'secret'), 0o700)
    scope = { mirror: join(top, 'mirror'), via: web, web, owner: 0 }
  })
  afterAll(() => {
    if (top) rmSync(top, { recursive: true, force: true })
  })

  it('a web/ re-pointed after the plan: refused, nothing changed', () => {
    const other = join(top, 'mirror', 'web')
    renameSync(other, join(top, 'mirror', 'web-old'))
    symlinkSync(join(top, 'secret'), other)
    const result = run(treeRepairArgv(scope, WWW, [{ type: 'file', grant: 'o+r' }]))
    expect(result.status).toBe(2)
    expect(result.stderr).toContain(`${other} now resolves to ${join(top, 'secret')}`)
    expect(lstatSync(secret).mode & 0o777).toBe(0o600)
    expect(lstatSync(join(top, 'secret')).mode & 0o777).toBe(0o700)
  })

  it('a symlink on the way is refused even where the plan may act, and not followed', () => {
    chmodSync(scope.mirror, 0o700)
    const link = join(top, 'link')
    symlinkSync(scope.mirror, link)
    const result = run(traverseArgv({ ...scope, via: join(link, 'web') }, 'o+x', link))
    expect(result.status).toBe(1)
    expect(result.stderr).toContain(`${link}: not a directory`)
    expect(lstatSync(scope.mirror).mode & 0o777).toBe(0o700)
    const elsewhere = run(traverseArgv(scope, 'o+x', join(top, 'secret')))
    expect(elsewhere.status).toBe(1)
    expect(elsewhere.stderr).toContain('is not on the path to')
    expect(lstatSync(join(top, 'secret')).mode & 0o777).toBe(0o700)
  })

  it('only x on the way, never w; and never without the confining flags', () => {
    const way = run(traverseArgv(scope, 'o+rx', join(top, 'mirror')))
    expect(way.status).toBe(1)
    expect(way.stderr).toContain('only x (to pass through) is added on the way')
    const write = run(traverseArgv(scope, 'o+w', scope.web))
    expect(write.status).toBe(2)
    const argv = treeRepairArgv(scope, WWW, [{ type: 'file', grant: 'o+r' }]).filter(
      (arg) => arg !== '--no-follow',
    )
    const loose = run(argv)
    expect(loose.status).toBe(2)
    expect(loose.stderr).toContain('are required')
  })
})
