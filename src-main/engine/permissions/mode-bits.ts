/** Who a file's permission bits are checked against, as the kernel picks it. */
export type PermissionClass = 'owner' | 'group' | 'others'

/** The identity nginx's worker processes run with. */
export interface Accessor {
  name: string
  uid: number
  /** Primary and supplementary groups. */
  gids: readonly number[]
}

export interface Ownership {
  uid: number
  gid: number
}

export const READ = 4
export const EXECUTE = 1

/**
 * The kernel uses exactly one class: the owner bits when the uid matches (even if the group or
 * others bits would allow more), else the group bits when any of the groups matches, else others.
 */
export function permissionClass(entry: Ownership, accessor: Accessor): PermissionClass {
  if (entry.uid === accessor.uid) return 'owner'
  if (accessor.gids.includes(entry.gid)) return 'group'
  return 'others'
}

const SHIFT: Record<PermissionClass, number> = { owner: 6, group: 3, others: 0 }
const LETTER: Record<PermissionClass, string> = { owner: 'u', group: 'g', others: 'o' }

/** The r/w/x bits (4/2/1) that apply to one class. */
export function classBits(mode: number, cls: PermissionClass): number {
  return (mode >> SHIFT[cls]) & 7
}

/** Which of the wanted bits (READ | EXECUTE) the class lacks. */
export function missingBits(mode: number, cls: PermissionClass, wanted: number): number {
  return wanted & ~classBits(mode, cls)
}

export function bitLetters(bits: number): string {
  return `${bits & READ ? 'r' : ''}${bits & 2 ? 'w' : ''}${bits & EXECUTE ? 'x' : ''}`
}

/** The symbolic chmod argument that adds the bits to one class, such as `o+x`. */
export function grantFor(cls: PermissionClass, bits: number): string {
  return `${LETTER[cls]}+${bitLetters(bits)}`
}

export function withGrant(mode: number, cls: PermissionClass, bits: number): number {
  return mode | (bits << SHIFT[cls])
}

export function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0')
}

/** `ls -l` style, such as `drwxr-x---`, including setuid, setgid and sticky. */
export function modeString(mode: number, type: 'd' | '-' | 'l' | '?' = 'd'): string {
  const triplet = (bits: number, special: boolean, specialChar: string): string => {
    const x = bits & 1
    const exec = special ? (x ? specialChar : specialChar.toUpperCase()) : x ? 'x' : '-'
    return `${bits & 4 ? 'r' : '-'}${bits & 2 ? 'w' : '-'}${exec}`
  }
  return (
    type +
    triplet((mode >> 6) & 7, (mode & 0o4000) !== 0, 's') +
    triplet((mode >> 3) & 7, (mode & 0o2000) !== 0, 's') +
    triplet(mode & 7, (mode & 0o1000) !== 0, 't')
  )
}
