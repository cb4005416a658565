import confinedRepairPy from './scripts/confined-repair.py?raw'
import { LAYOUT_NAMES } from './confinement'
import type { Accessor } from './mode-bits'

/**
 * Every permission change of the repair is one run of this helper (see the file: it checks
 * every confinement rule again on the host, at run time, and never follows a symlink). Its
 * arguments are the exact directories, or a bounded selector: the served directory's real
 * path, bandersnatch's top-level names, the bits to add, one filesystem, no symlinks, and the
 * hard-link rule. What the plan shows is what runs.
 */
export const CONFINED_REPAIR_PY: string = confinedRepairPy

/** The distribution's Python (as the facts probe prefers): not a user's pyenv or conda one. */
export const SYSTEM_PYTHON = '/usr/bin/python3'

/** The rules a plan was made under, that the helper checks again before it changes anything. */
export interface RepairScope {
  /** `mirror.directory` as configured. */
  mirror: string
  /** The served directory as configured (`<mirror>/web`). */
  via: string
  /** Its real path, where the helper acts. */
  web: string
  /** The mirror owner's uid: hard-linked files of anyone else are left alone. */
  owner: number
}

/** Never relaxed; spelled out so that the plan shows them. */
export const CONFINED: readonly string[] = [
  '--one-file-system',
  '--no-follow',
  '--shared-links',
  'owner-only',
]

function helper(verb: string, scope: RepairScope, rest: readonly string[]): string[] {
  return [
    SYSTEM_PYTHON,
    '-I',
    '-c',
    CONFINED_REPAIR_PY,
    verb,
    '--mirror',
    scope.mirror,
    '--via',
    scope.via,
    '--web',
    scope.web,
    '--owner',
    String(scope.owner),
    ...rest,
  ]
}

/** Adds `grant` (x on the way; r and x on the served directory) to one directory of the path. */
export function traverseArgv(scope: RepairScope, grant: string, dir: string): string[] {
  return helper('traverse', scope, ['--add', grant, dir])
}

export interface KindGrant {
  type: 'file' | 'directory'
  /** Such as `o+r`. */
  grant: string
}

/** The least repair of the layout: each kind's grant, only where that kind lacks it. */
export function treeRepairArgv(
  scope: RepairScope,
  accessor: Accessor,
  grants: readonly KindGrant[],
): string[] {
  return helper('tree', scope, [
    '--names',
    LAYOUT_NAMES.join(','),
    '--for',
    `${accessor.uid}:${[...new Set(accessor.gids)].join(',')}`,
    ...grants.flatMap((g) => ['--add', `${g.type === 'file' ? 'file' : 'dir'}:${g.grant}`]),
    ...CONFINED,
  ])
}

/** The seed's mode and owner, on the served directory and its layout only. */
export function seedArgv(
  scope: RepairScope,
  mode: string,
  owner: { uid: number; gid: number },
): string[] {
  return helper('seed', scope, [
    '--names',
    LAYOUT_NAMES.join(','),
    '--mode',
    mode,
    '--chown',
    `${owner.uid}:${owner.gid}`,
    ...CONFINED,
  ])
}
