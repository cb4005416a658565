import type { RemoteHost } from '../ssh/remote-host'
import type { ComponentKind, PathComponent, PathWalkInput } from './path-walk'

/**
 * lstat of every component from `/` down to the served directory (L lines), and of its real
 * path when symlinks make that differ (R, then C lines). Run as root: a component under a
 * directory closed to the login user can still be looked at.
 */
export const PATH_STAT_SCRIPT = `
set -u
web=$1
emit() {
  if [ -e "$2" ] || [ -L "$2" ]; then
    stat --printf "$1\\t%f\\t%u\\t%g\\t%U\\t%G\\t%d:%i\\t%n\\n" -- "$2" || return 1
    if [ -L "$2" ]; then printf 'T\\t%s\\n' "$(readlink -- "$2")"; fi
  else
    printf '%s\\tmissing\\t\\t\\t\\t\\t\\t%s\\n' "$1" "$2"
    return 1
  fi
}
walk() {
  emit "$1" / || return 0
  cur=
  set -f
  old_ifs=$IFS
  IFS=/
  for part in \${2#/}; do
    [ -n "$part" ] || continue
    cur="$cur/$part"
    emit "$1" "$cur" || break
  done
  IFS=$old_ifs
}
walk L "$web"
if real=$(realpath -e -- "$web" 2>/dev/null) && [ "$real" != "$web" ]; then
  printf 'R\\t%s\\n' "$real"
  walk C "$real"
fi
`

const S_IFMT = 0o170000
const KIND_BY_TYPE: Record<number, ComponentKind> = {
  0o040000: 'directory',
  0o120000: 'symlink',
  0o100000: 'file',
}

/** Parses the script's lines into the input of `analyzePathWalk`. */
export function parsePathStat(text: string, servedRoot: string): PathWalkInput {
  const literal: PathComponent[] = []
  const canonical: PathComponent[] = []
  let canonicalRoot: string | null = null
  let last: PathComponent | undefined
  for (const line of text.split('\n')) {
    const fields = line.split('\t')
    const tag = fields[0]
    if (tag === 'R') canonicalRoot = fields.slice(1).join('\t')
    if (tag === 'T' && last) last.linkTarget = fields.slice(1).join('\t')
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
  return { literal, canonical, servedRoot, canonicalRoot }
}

export async function statServedPath(host: RemoteHost, servedRoot: string): Promise<PathWalkInput> {
  const result = await host.readScript(PATH_STAT_SCRIPT, [servedRoot], { sudo: true })
  return parsePathStat(result.stdout, servedRoot)
}
