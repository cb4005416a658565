import pathStatScript from './scripts/path-stat.sh?raw'
import type { RemoteHost } from '../ssh/remote-host'
import type { Home } from './confinement'
import type { ComponentKind, PathComponent, PathWalkInput } from './path-walk'

/**
 * lstat of every component from `/` down to the served directory, of its real path when
 * symlinks make that differ, the mirror directory's real path and owner, and people's homes.
 * Run as root: a component under a directory closed to the login user can still be looked at.
 */
export const PATH_STAT_SCRIPT: string = pathStatScript

/** What the path walk needs, and what the repair's confinement is decided from. */
export interface ServedPathStat extends PathWalkInput {
  /** The mirror directory's real path and owner; null when it does not exist. */
  mirror: { realPath: string; uid: number; owner: string } | null
  homes: Home[]
}

const S_IFMT = 0o170000
const KIND_BY_TYPE: Record<number, ComponentKind> = {
  0o040000: 'directory',
  0o120000: 'symlink',
  0o100000: 'file',
}

/** Parses the script's lines into the input of `analyzePathWalk`. */
export function parsePathStat(text: string, servedRoot: string): ServedPathStat {
  const literal: PathComponent[] = []
  const homes: Home[] = []
  let mirror: ServedPathStat['mirror'] = null
  const canonical: PathComponent[] = []
  let canonicalRoot: string | null = null
  let last: PathComponent | undefined
  for (const line of text.split('\n')) {
    const fields = line.split('\t')
    const tag = fields[0]
    if (tag === 'R') canonicalRoot = fields.slice(1).join('\t')
    if (tag === 'T' && last) last.linkTarget = fields.slice(1).join('\t')
    if (tag === 'M')
      mirror = {
        uid: Number(fields[1]),
        owner: fields[2] ?? '',
        realPath: fields.slice(3).join('\t'),
      }
    if (tag === 'H')
      homes.push({
        uid: Number(fields[1]),
        user: fields[2] ?? '',
        home: fields.slice(3).join('\t'),
      })
    if (tag !== 'L' && tag !== 'C') continue
    const [, rawMode = '', uid = '', gid = '', owner = '', group = '', inode = ''] = fields
    const path = fields.slice(7).join('\t')
    const raw = parseInt(rawMode, 16)
    const component: PathComponent =
      rawMode === 'missing'
        ? { path, kind: 'missing', mode: 0, uid: -1, gid: -1, owner: '', group: '', inode: '' }
        : {
            path,
            kind: KIND_BY_TYPE[raw & S_IFMT] ?? 'other',
            mode: raw & 0o7777,
            uid: Number(uid),
            gid: Number(gid),
            owner,
            group,
            inode,
          }
    ;(tag === 'L' ? literal : canonical).push(component)
    last = component
  }
  return { literal, canonical, servedRoot, canonicalRoot, mirror, homes }
}

export async function statServedPath(
  host: RemoteHost,
  servedRoot: string,
  mirrorDir: string,
): Promise<ServedPathStat> {
  const result = await host.readScript(PATH_STAT_SCRIPT, [servedRoot, mirrorDir], { sudo: true })
  return parsePathStat(result.stdout, servedRoot)
}
