import { describe, expect, it } from 'vitest'
import { treeBranches } from '../../../src-main/engine/permissions/tree-predicates'
import { parseTreeScan, scanExpression } from '../../../src-main/engine/permissions/tree-scan'

const WWW = { name: 'www-data', uid: 33, gids: [33] }

describe('the tree scan', () => {
  it('prints every wrong kind and symlinks, each with its own tag', () => {
    const expression = scanExpression(treeBranches(WWW))
    const printfs = expression.filter((_, i) => expression[i - 1] === '-printf')
    expect(printfs.map((format) => format.split('\\t')[0])).toEqual([
      'file:owner',
      'file:group',
      'file:others',
      'directory:owner',
      'directory:group',
      'directory:others',
      'link',
    ])
  })

  it('parses counts, examples, outside links and samples', () => {
    const branches = treeBranches(WWW)
    const text = [
      'example\tfile:others\t600\t1000\t1000\tops\tops\tpackages/ab/cd/h/a b.whl',
      'example\tdirectory:others\t700\t0\t0\troot\troot\tsimple/beta',
      'example\tlink\t777\t0\t0\troot\troot\tsimple/evil',
      'status\t0',
      'count\tfile:others\t1204',
      'count\tdirectory:others\t1',
      'count\tlink\t1',
      'example\toutside\tsimple/evil\t/etc',
      'count\toutside\t1',
      'sample\tpackage\tpackages/ab/cd/h/a b.whl',
      'sample\tproject\tbeta',
      '',
    ].join('\n')
    const scan = parseTreeScan(text, '/srv/pypi/web', branches)
    expect(scan.wrongFiles).toBe(1204)
    expect(scan.wrongDirectories).toBe(1)
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
    expect(scan.samples).toEqual({ packageFile: 'packages/ab/cd/h/a b.whl', project: 'beta' })
  })

  it('reads a healthy tree as having nothing wrong', () => {
    const scan = parseTreeScan('status\t0\n', '/srv/pypi/web', treeBranches(WWW))
    expect(scan.wrong).toEqual([])
    expect(scan.wrongFiles + scan.wrongDirectories).toBe(0)
  })
})
