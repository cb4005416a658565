/**
 * Where root may change permissions for a mirror, and where it must not. The repair runs as
 * root inside directories that a less trusted account (the mirror's owner, bandersnatch) can
 * rewrite: a `web` that is a link to /etc must never turn into root opening /etc/shadow.
 * The same rules are checked again on the host, at run time, by scripts/confined-repair.py.
 */

/** Top-level entries of bandersnatch's layout in `web/` (checked against a real sync). */
export const LAYOUT_NAMES: readonly string[] = [
  'simple',
  'packages',
  'json',
  'pypi',
  'local-stats',
  'last-modified',
]

/** Directories that are, with everything inside them, never a mirror's to change. */
export const SYSTEM_LOCATIONS: readonly string[] = [
  '/etc',
  '/root',
  '/boot',
  '/usr',
  '/var/lib',
  '/proc',
  '/sys',
  '/dev',
  // Outside /usr where /usr is not merged (older Debian and Ubuntu, RHEL 7).
  '/bin',
  '/sbin',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
]

/** Accounts from this uid up (except nobody) are people, whose homes are theirs alone. */
export const FIRST_LOGIN_UID = 1000
export const NOBODY_UID = 65534

/** A login account's home directory, as its real path. */
export interface Home {
  uid: number
  user: string
  home: string
}

export function isInside(path: string, top: string): boolean {
  return path === top || path.startsWith(`${top.replace(/\/+$/, '')}/`)
}

/**
 * Why root must not change anything at `path` (a real path) for a mirror owned by `ownerUid`;
 * null when it may. `/` itself, a system location, or another person's home.
 */
export function forbiddenReason(
  path: string,
  homes: readonly Home[],
  ownerUid: number | null,
): string | null {
  if (path === '/') return '/ is the root of the whole system'
  const system = SYSTEM_LOCATIONS.find((top) => isInside(path, top))
  if (system) return `${system} is a system location`
  const home = homes.find(
    (h) =>
      h.uid >= FIRST_LOGIN_UID &&
      h.uid !== NOBODY_UID &&
      h.uid !== ownerUid &&
      h.home !== '/' &&
      h.home !== '' &&
      isInside(path, h.home),
  )
  if (home) return `${home.home} is the home of ${home.user}, who does not own the mirror`
  return null
}

/** The mirror's paths as configured and as they really are on the host. */
export interface Confinement {
  /** `mirror.directory` as configured. */
  mirrorDir: string
  /** Its real path (no symlinks); null when it does not exist. */
  realMirrorDir: string | null
  /** `<mirror.directory>/web` as configured. */
  web: string
  /** Its real path: where the repair acts; null when it does not exist. */
  realWeb: string | null
  /** Who owns the real mirror directory (bandersnatch's account). */
  ownerUid: number | null
  owner: string | null
  /** People's homes on the host (another's is never changed). */
  homes: readonly Home[]
  /**
   * Why the repair refuses to change anything (the mirror or web/ resolves into a system
   * location or another person's home); null when it may act.
   */
  refusal: string | null
}

export type ConfinementInput = Omit<Confinement, 'refusal'>

function resolvesTo(what: string, configured: string, real: string): string {
  return real === configured ? `${what} ${configured}` : `${what} ${configured} resolves to ${real}`
}

/** The mirror's confinement, and the refusal when its real paths are not the mirror's to change. */
export function confine(input: ConfinementInput): Confinement {
  const { mirrorDir, realMirrorDir, web, realWeb, ownerUid, homes } = input
  let refusal: string | null = null
  const mirrorWhy = realMirrorDir ? forbiddenReason(realMirrorDir, homes, ownerUid) : null
  const webWhy = realWeb ? forbiddenReason(realWeb, homes, ownerUid) : null
  if (mirrorWhy && realMirrorDir)
    refusal = `${resolvesTo('the mirror directory', mirrorDir, realMirrorDir)}, and ${mirrorWhy}`
  else if (webWhy && realWeb)
    refusal = `${resolvesTo('the served directory', web, realWeb)}, and ${webWhy}`
  return { ...input, refusal }
}

/** Why root must not change `path` under a confinement's rules; null when it may. */
export function forbiddenHere(c: Confinement, path: string): string | null {
  return forbiddenReason(path, c.homes, c.ownerUid)
}
