import { describe, expect, it } from 'vitest'
import { analyzePathWalk, type PathComponent } from '../../../src-main/engine/permissions/path-walk'

const WWW = { name: 'www-data', uid: 33, gids: [33] }
const ROOT = { uid: 0, name: 'root' }
const OPS = { uid: 1000, name: 'ops' }
const STAFF = { gid: 50, name: 'staff' }

let inode = 0
function dir(
  path: string,
  mode: number,
  owner: { uid: number; name: string } = ROOT,
  group: { gid: number; name: string } = { gid: owner.uid, name: owner.name },
): PathComponent {
  inode += 1
  return {
    path,
    kind: 'directory',
    mode,
    uid: owner.uid,
    gid: group.gid,
    owner: owner.name,
    group: group.name,
    inode: `1:${inode}`,
  }
}

/** `/`, `/home`, `/home/ops` (with the given mode), `/home/ops/mirror`, `/home/ops/mirror/web`. */
function homeMirror(homeMode: number, webMode = 0o755): PathComponent[] {
  return [
    dir('/', 0o755),
    dir('/home', 0o755),
    dir('/home/ops', homeMode, OPS),
    dir('/home/ops/mirror', 0o755, OPS),
    dir('/home/ops/mirror/web', webMode, OPS),
  ]
}

function walk(
  literal: PathComponent[],
  accessor = WWW,
  extra: { canonical?: PathComponent[]; canonicalRoot?: string } = {},
) {
  return analyzePathWalk(
    {
      literal,
      canonical: extra.canonical ?? [],
      servedRoot: literal.at(-1)?.path ?? '/',
      canonicalRoot: extra.canonicalRoot ?? null,
    },
    accessor,
  )
}

describe('analyzePathWalk', () => {
  it('lets nginx through a path of 0755 directories, asking x of parents and r+x of the served one', () => {
    const result = walk(homeMirror(0o755))
    expect(result.blockers).toEqual([])
    expect(result.firstBlocker).toBeNull()
    expect(result.verdicts.map((v) => v.needs)).toEqual([1, 1, 1, 1, 5])
    expect(result.verdicts.every((v) => v.cls === 'others')).toBe(true)
  })

  it('names a home directory at 0750 as the blocker: the others bits apply, o+x opens it', () => {
    const result = walk(homeMirror(0o750))
    expect(result.blockers).toHaveLength(1)
    const first = result.firstBlocker
    expect(first?.component.path).toBe('/home/ops')
    expect(first?.cls).toBe('others')
    expect(first?.missing).toBe(1)
    expect(first?.grant).toBe('o+x')
    expect(first?.modeAfter).toBe(0o751)
    expect(first?.reason).toBe(
      'www-data is neither its owner ops nor in its group ops, so the others bits apply (---); x, needed to pass through it, is missing',
    )
  })

  it('at 0700 the same grant gives 0701', () => {
    expect(walk(homeMirror(0o700)).firstBlocker).toMatchObject({ grant: 'o+x', modeAfter: 0o701 })
  })

  it('passes a parent with x alone: r is needed only on the served directory', () => {
    expect(walk(homeMirror(0o711)).blockers).toEqual([])
  })

  it('uses the group bits when nginx is in the directory group, and grants g+x there', () => {
    const inStaff = { ...WWW, gids: [33, STAFF.gid] }
    const open = walk(
      [dir('/', 0o755), dir('/data', 0o750, OPS, STAFF), dir('/data/web', 0o755)],
      inStaff,
    )
    expect(open.blockers).toEqual([])
    expect(open.verdicts[1]?.cls).toBe('group')

    const closed = walk(
      [dir('/', 0o755), dir('/data', 0o705, OPS, STAFF), dir('/data/web', 0o755)],
      inStaff,
    )
    // Others may pass, but the kernel uses the group bits alone for a member: they block.
    expect(closed.firstBlocker).toMatchObject({ cls: 'group', grant: 'g+x', modeAfter: 0o715 })
    expect(closed.firstBlocker?.reason).toContain(
      'www-data is in its group staff, so the group bits apply (---)',
    )
  })

  it('uses the owner bits when nginx owns the directory, even when others have more', () => {
    const result = walk([
      dir('/', 0o755),
      dir('/srv', 0o077, { uid: 33, name: 'www-data' }),
      dir('/srv/web', 0o755),
    ])
    expect(result.firstBlocker).toMatchObject({ cls: 'owner', grant: 'u+x', modeAfter: 0o177 })
    expect(result.firstBlocker?.reason).toContain('www-data owns it, so the owner bits apply')
  })

  it('asks r of the served directory: 0711 is listed as missing r, 0700 as missing both', () => {
    const noRead = walk(homeMirror(0o755, 0o711))
    expect(noRead.firstBlocker).toMatchObject({ missing: 4, grant: 'o+r', modeAfter: 0o715 })
    expect(noRead.firstBlocker?.reason).toContain('r, needed to list it, is missing')
    const closed = walk(homeMirror(0o755, 0o700))
    expect(closed.firstBlocker).toMatchObject({ missing: 5, grant: 'o+rx', modeAfter: 0o705 })
    expect(closed.firstBlocker?.reason).toContain(
      'r to list it and x to pass through it are both missing',
    )
  })

  it('lists every blocker in walking order, the topmost first', () => {
    const result = walk([
      dir('/', 0o755),
      dir('/a', 0o700),
      dir('/a/b', 0o750, OPS),
      dir('/a/b/web', 0o700, OPS),
    ])
    expect(result.blockers.map((v) => v.component.path)).toEqual(['/a', '/a/b', '/a/b/web'])
    expect(result.firstBlocker?.component.path).toBe('/a')
  })

  it('keeps setgid and sticky bits in the mode after the grant', () => {
    expect(walk(homeMirror(0o2750)).firstBlocker?.modeAfter).toBe(0o2751)
    expect(walk(homeMirror(0o1770)).firstBlocker?.modeAfter).toBe(0o1771)
  })

  it('reports a missing component and a file in the way without a grant', () => {
    const missing: PathComponent = {
      path: '/srv/pypi',
      kind: 'missing',
      mode: 0,
      uid: -1,
      gid: -1,
      owner: '',
      group: '',
      inode: '',
    }
    const gone = walk([dir('/', 0o755), dir('/srv', 0o755), missing])
    expect(gone.firstBlocker).toMatchObject({ reason: 'does not exist', grant: null })
    const file = { ...dir('/srv/pypi', 0o644), kind: 'file' as const }
    expect(walk([dir('/', 0o755), dir('/srv', 0o755), file]).firstBlocker).toMatchObject({
      reason: 'is not a directory',
      grant: null,
    })
  })

  it('follows a symlink: the real path is checked where the link leads, each directory once', () => {
    const link: PathComponent = {
      ...dir('/srv/pypi', 0o777),
      kind: 'symlink',
      linkTarget: '/data/pypi',
    }
    const web = dir('/srv/pypi/web', 0o755, OPS)
    const literal = [dir('/', 0o755), dir('/srv', 0o755), link, web]
    const canonical = [
      literal[0] as PathComponent,
      dir('/data', 0o700, OPS),
      dir('/data/pypi', 0o755, OPS),
      { ...web, path: '/data/pypi/web' },
    ]
    const result = walk(literal, WWW, { canonical, canonicalRoot: '/data/pypi/web' })
    expect(result.verdicts.map((v) => v.component.path)).toEqual([
      '/',
      '/srv',
      '/srv/pypi',
      '/data',
      '/data/pypi',
      '/data/pypi/web',
    ])
    expect(result.verdicts[2]).toMatchObject({ needs: 0, reason: null })
    expect(result.firstBlocker?.component.path).toBe('/data')
    expect(result.verdicts.at(-1)?.needs).toBe(5)
  })

  it('never blocks root', () => {
    const result = walk(homeMirror(0o700, 0o700), { name: 'root', uid: 0, gids: [0] })
    expect(result.blockers).toEqual([])
  })
})
