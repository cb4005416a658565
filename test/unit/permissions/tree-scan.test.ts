import { describe, expect, it } from 'vitest'
import { LAYOUT_NAMES } from '../../../src-main/engine/permissions/confinement'
import { treeBranches } from '../../../src-main/engine/permissions/tree-predicates'
import { parseTreeScan, scanExpression } from '../../../src-main/engine/permissions/tree-scan'

const WWW = { name: 'www-data', uid: 33, gids: [33] }

describe('the tree scan', () => {
  it('tags foreign top-level names, links, special files, shared links, each wrong kind, and the rest', () => {
    const expression = scanExpression(treeBranches(WWW), 1000)
    const printfs = expression.filter((_, i) => expression[i - 1] === '-printf')
    expect(printfs.map((format) => format.split('\\t')[0])).toEqual([
      'foreign',
      'link',
      'special',
      'shared',
      'file:owner',
      'file:group',
      'file:others',
      'directory:owner',
      'directory:group',
      'directory:others',
      'ok',
      'ok',
    ])
    const foreign = expression.slice(0, expression.indexOf('-printf'))
    expect(foreign.filter((_, i) => foreign[i - 1] === '-name')).toEqual(LAYOUT_NAMES)
    expect(expression[expression.indexOf('-printf') + 2]).toBe('-prune')
    expect(expression.join(' ')).toContain('-type f -links +1 ! -uid 1000')
  })

  it('parses counts, examples, outside links, what is left alone, and samples', () => {
    const branches = treeBranches(WWW)
    const text = [
      'example\tfile:others\t2049\tf\t600\t1000\t1000\tops\tops\tpackages/ab/cd/h/a b.whl',
      'example\tdirectory:others\t2049\td\t700\t0\t0\troot\troot\tsimple/beta',
      'example\tlink\t2049\tl\t777\t0\t0\troot\troot\tsimple/evil',
      'example\tforeign\t2049\tf\t600\t0\t0\troot\troot\tbackup.tar',
      'example\tshared\t2049\tf\t640\t0\t42\troot\tshadow\tpackages/ab/cd/h/x.whl',
      'status\t0',
      'count\tfile:others\t1204',
      'count\tdirectory:others\t1',
      'count\tlink\t1',
      'count\tforeign\t1',
      'count\tshared\t1',
      'count\tok\t300',
      'example\toutside\tsimple/evil\t/etc',
      'count\toutside\t1',
      'sample\tpackage\tpackages/ab/cd/h/a b.whl',
      'sample\tproject\tbeta',
      '',
    ].join('\n')
    const scan = parseTreeScan(text, '/srv/pypi/web', branches)
    expect(scan.wrongFiles).toBe(1204)
    expect(scan.wrongDirectories).toBe(1)
    expect(scan.layoutEntries).toBe(1204 + 1 + 300)
    expect(scan.wrong.map((kind) => kind.branch.tag)).toEqual(['file:others', 'directory:others'])
    expect(scan.wrong[0]?.examples[0]).toEqual({
      path: 'packages/ab/cd/h/a b.whl',
      mode: 0o600,
      uid: 1000,
      gid: 1000,
      owner: 'ops',
      group: 'ops',
    })
    expect(scan.symlinks).toBe(1)
    expect(scan.outsideLinks).toEqual({
      count: 1,
      examples: [{ path: 'simple/evil', target: '/etc' }],
    })
    expect(scan.leftAlone.foreign.examples.map((e) => e.path)).toEqual(['backup.tar'])
    expect(scan.leftAlone.sharedLinks).toMatchObject({
      count: 1,
      examples: [{ path: 'packages/ab/cd/h/x.whl', owner: 'root', group: 'shadow' }],
    })
    expect(scan.leftAlone.otherFilesystems.count).toBe(0)
    expect(scan.samples).toEqual({ packageFile: 'packages/ab/cd/h/a b.whl', project: 'beta' })
  })

  it('reads a healthy tree as having nothing wrong', () => {
    const scan = parseTreeScan('status\t0\n', '/srv/pypi/web', treeBranches(WWW))
    expect(scan.wrong).toEqual([])
    expect(scan.wrongFiles + scan.wrongDirectories).toBe(0)
  })
})
