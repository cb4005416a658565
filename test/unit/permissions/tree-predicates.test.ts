import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync, spawnSync } from 'node:child_process'
import {
  symlinkSync,
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  EXECUTE,
  READ,
  missingBits,
  permissionClass,
} from '../../../src-main/engine/permissions/mode-bits'
import {
  SAFE_CHMOD_PY,
  SYSTEM_PYTHON,
  safeChmodArgv,
} from '../../../src-main/engine/permissions/safe-chmod'
import { treeBranches, treeRepairArgv } from '../../../src-main/engine/permissions/tree-predicates'
import {
  EXAMPLES_PER_KIND,
  TREE_SCAN_SCRIPT,
  parseTreeScan,
  scanExpression,
} from '../../../src-main/engine/permissions/tree-scan'

const WWW = { name: 'www-data', uid: 33, gids: [33, 4] }

describe('treeBranches', () => {
  it('gives one branch per type and class, each selecting entries that lack the bits', () => {
    const branches = treeBranches(WWW)
    expect(branches.map((b) => `${b.tag} ${b.grant}`)).toEqual([
      'file:owner u+r',
      'file:group g+r',
      'file:others o+r',
      'directory:owner u+rx',
      'directory:group g+rx',
      'directory:others o+rx',
    ])
    expect(branches[1]?.tests).toEqual([
      '-type',
      'f',
      '!',
      '-uid',
      '33',
      '(',
      '-gid',
      '33',
      '-o',
      '-gid',
      '4',
      ')',
      '!',
      '-perm',
      '-0040',
    ])
    expect(branches[5]?.tests).toEqual([
      '-type',
      'd',
      '!',
      '-uid',
      '33',
      '!',
      '-gid',
      '33',
      '!',
      '-gid',
      '4',
      '!',
      '-perm',
      '-0005',
    ])
  })

  it('has nothing to check for root', () => {
    expect(treeBranches({ name: 'root', uid: 0, gids: [0] })).toEqual([])
  })

  it('repairs with one find that hands only what its branches select to the safe chmod', () => {
    const branch = treeBranches(WWW)[2]
    const argv = treeRepairArgv('/srv/pypi/web', branch ? [branch] : [])
    expect(argv).toEqual([
      'find',
      '/srv/pypi/web',
      '-mindepth',
      '1',
      '(',
      ...(branch?.tests ?? []),
      '-exec',
      SYSTEM_PYTHON,
      '-c',
      SAFE_CHMOD_PY,
      'o+r',
      '{}',
      '+',
      ')',
    ])
  })
})

/**
 * The find predicates against real files: a tree of random owners, groups and modes, judged
 * once by the kernel's rule in TypeScript and once by find on this machine. Needs root (chown).
 */
const isRoot = process.getuid?.() === 0
describe.skipIf(!isRoot)('the scan and the repair on real files', () => {
  let top = ''
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

  beforeAll(() => {
    top = mkdtempSync(join(tmpdir(), 'pmw-tree-'))
    const web = join(top, 'web')
    mkdirSync(web)
    for (let d = 0; d < 12; d++) {
      const dir = join(web, `d${d}`)
      mkdirSync(dir)
      entries.push({ path: dir, type: 'directory' })
      for (let f = 0; f < 10; f++) {
        const file = join(dir, `f${f}.whl`)
        writeFileSync(file, 'x')
        entries.push({ path: file, type: 'file' })
      }
    }
    for (const entry of entries) {
      chownSync(
        entry.path,
        uids[random(uids.length)] as number,
        gids[random(gids.length)] as number,
      )
      chmodSync(entry.path, modes[random(modes.length)] as number)
    }
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
      .map((entry) => entry.path.slice(join(top, 'web').length + 1))
      .sort()
  }

  it('find selects exactly what the kernel rule says nginx cannot use, and awk counts it', () => {
    const web = join(top, 'web')
    const branches = treeBranches(WWW)
    const expected = wrongByTypeScript()
    expect(expected.length).toBeGreaterThan(20)
    const listed = execFileSync(
      'find',
      [
        web,
        '-mindepth',
        '1',
        ...branches.flatMap((b, i) => [
          ...(i ? ['-o'] : []),
          '(',
          ...b.tests,
          '-printf',
          '%P\\n',
          ')',
        ]),
      ],
      { encoding: 'utf8' },
    )
    expect(listed.split('\n').filter(Boolean).sort()).toEqual(expected)

    const output = execFileSync(
      'sh',
      ['-c', TREE_SCAN_SCRIPT, 'sh', web, String(EXAMPLES_PER_KIND), ...scanExpression(branches)],
      { encoding: 'utf8' },
    )
    const scan = parseTreeScan(output, web, branches)
    expect(scan.wrongFiles + scan.wrongDirectories).toBe(expected.length)
    for (const kind of scan.wrong)
      expect(kind.examples.length).toBe(Math.min(kind.count, EXAMPLES_PER_KIND))
    expect(scan.findStatus).toBe(0)
  })

  it('the repair opens every wrong entry, changes no other, and then finds nothing to do', () => {
    const web = join(top, 'web')
    const before = new Map(entries.map((e) => [e.path, lstatSync(e.path)]))
    const wrong = new Set(wrongByTypeScript().map((p) => join(web, p)))
    const [file, ...args] = treeRepairArgv(web, treeBranches(WWW))
    execFileSync(file as string, args)
    expect(wrongByTypeScript()).toEqual([])
    for (const entry of entries) {
      const was = before.get(entry.path)
      const now = lstatSync(entry.path)
      expect([now.uid, now.gid]).toEqual([was?.uid, was?.gid])
      if (!wrong.has(entry.path)) {
        expect(now.mode).toBe(was?.mode)
        expect(now.ctimeMs).toBe(was?.ctimeMs)
      }
    }
    const settled = new Map(entries.map((e) => [e.path, lstatSync(e.path).ctimeMs]))
    execFileSync(file as string, args)
    for (const entry of entries) expect(lstatSync(entry.path).ctimeMs).toBe(settled.get(entry.path))
  })
})

/** Root's chmod inside a tree its owner can rewrite must not follow a symlink swapped in. */
describe.skipIf(!isRoot)('the symlink-refusing chmod', () => {
  let top = ''
  beforeAll(() => {
    top = mkdtempSync(join(tmpdir(), 'pmw-safe-'))
    mkdirSync(join(top, 'secret'))
    writeFileSync(join(top, 'secret', 'shadow'), 'x', { mode: 0o600 })
    mkdirSync(join(top, 'web', 'real'), { recursive: true })
    writeFileSync(join(top, 'web', 'real', 'a.whl'), 'x', { mode: 0o600 })
    symlinkSync(join(top, 'secret'), join(top, 'web', 'swapped'))
    symlinkSync(join(top, 'secret', 'shadow'), join(top, 'web', 'real', 'b.whl'))
  })
  afterAll(() => {
    if (top) rmSync(top, { recursive: true, force: true })
  })

  function chmodAll(paths: string[]): { status: number | null; stderr: string } {
    const [file, ...args] = safeChmodArgv('o+r', paths)
    const result = spawnSync(file as string, args, { encoding: 'utf8' })
    return { status: result.status, stderr: result.stderr }
  }

  it('adds the bits to a file reached without symlinks, and does not rewrite it a second time', () => {
    const ok = join(top, 'web', 'real', 'a.whl')
    expect(chmodAll([ok]).status).toBe(0)
    expect(lstatSync(ok).mode & 0o777).toBe(0o604)
    const settled = lstatSync(ok).ctimeMs
    expect(chmodAll([ok]).status).toBe(0)
    expect(lstatSync(ok).ctimeMs).toBe(settled)
  })

  it('refuses a symlink as the last component and as a directory on the way', () => {
    const result = chmodAll([
      join(top, 'web', 'real', 'b.whl'),
      join(top, 'web', 'swapped', 'shadow'),
    ])
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('b.whl: not a file or a directory (a symlink?)')
    expect(result.stderr).toContain('swapped/shadow:')
    expect(lstatSync(join(top, 'secret', 'shadow')).mode & 0o777).toBe(0o600)
  })
})
