import { EXECUTE, READ, grantFor, type Accessor, type PermissionClass } from './mode-bits'

export type EntryType = 'file' | 'directory'

/**
 * One kind of wrong entry inside the served tree: files (or directories) whose permission class
 * for nginx's user lacks r (or r and x). The classes exclude each other, like the kernel's choice.
 */
export interface TreeBranch {
  /** Short label carried in the scan's output, such as `file:others`. */
  tag: string
  type: EntryType
  cls: PermissionClass
  /** The grant that repairs this kind, such as `o+r`. */
  grant: string
  /** `find` tests selecting exactly these entries (no symlinks: find does not follow them). */
  tests: string[]
}

const SHIFT: Record<PermissionClass, number> = { owner: 6, group: 3, others: 0 }

function classTests(cls: PermissionClass, accessor: Accessor): string[] {
  const uid = String(accessor.uid)
  const gids = [...new Set(accessor.gids)].map(String)
  switch (cls) {
    case 'owner':
      return ['-uid', uid]
    case 'group':
      return [
        '!',
        '-uid',
        uid,
        '(',
        ...gids.flatMap((gid, i) => (i === 0 ? ['-gid', gid] : ['-o', '-gid', gid])),
        ')',
      ]
    case 'others':
      return ['!', '-uid', uid, ...gids.flatMap((gid) => ['!', '-gid', gid])]
  }
}

/** Every kind of entry nginx's user cannot use; none for root, who reads everything. */
export function treeBranches(accessor: Accessor): TreeBranch[] {
  if (accessor.uid === 0) return []
  const classes: PermissionClass[] =
    accessor.gids.length > 0 ? ['owner', 'group', 'others'] : ['owner', 'others']
  const branches: TreeBranch[] = []
  for (const type of ['file', 'directory'] as const) {
    const wanted = type === 'file' ? READ : READ | EXECUTE
    for (const cls of classes) {
      const bits = (wanted << SHIFT[cls]).toString(8).padStart(4, '0')
      branches.push({
        tag: `${type}:${cls}`,
        type,
        cls,
        grant: grantFor(cls, wanted),
        tests: [
          '-type',
          type === 'file' ? 'f' : 'd',
          ...classTests(cls, accessor),
          '!',
          '-perm',
          `-${bits}`,
        ],
      })
    }
  }
  return branches
}
