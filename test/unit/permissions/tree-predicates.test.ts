import { describe, expect, it } from 'vitest'
import { treeBranches } from '../../../src-main/engine/permissions/tree-predicates'

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
})
