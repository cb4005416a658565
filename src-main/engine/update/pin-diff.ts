import type { PinnedRequirement } from '../steps/pinned-requirements'

/**
 * One project's pins before and after a new resolution. A project may have several pins (uv
 * forks one by environment marker), so each side is a list of versions.
 */
export interface PinChange {
  name: string
  kind: 'changed' | 'added' | 'removed'
  from: string[]
  to: string[]
}

export interface PinDiff {
  changes: PinChange[]
  unchanged: number
}

function versionsByName(pins: readonly PinnedRequirement[]): Map<string, string[]> {
  const byName = new Map<string, string[]>()
  for (const pin of pins) {
    const versions = byName.get(pin.name) ?? []
    if (!versions.includes(pin.version)) versions.push(pin.version)
    byName.set(pin.name, versions)
  }
  return byName
}

const same = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && [...a].sort().join('\0') === [...b].sort().join('\0')

/** The pins that differ between two resolutions, by project, in name order. */
export function diffPins(
  before: readonly PinnedRequirement[],
  after: readonly PinnedRequirement[],
): PinDiff {
  const old = versionsByName(before)
  const now = versionsByName(after)
  const changes: PinChange[] = []
  let unchanged = 0
  for (const name of [...new Set([...old.keys(), ...now.keys()])].sort()) {
    const from = old.get(name) ?? []
    const to = now.get(name) ?? []
    if (same(from, to)) unchanged++
    else
      changes.push({
        name,
        kind: from.length === 0 ? 'added' : to.length === 0 ? 'removed' : 'changed',
        from,
        to,
      })
  }
  return { changes, unchanged }
}

/** `alpha 1.0 → 1.1`, `+ delta 2.0`, `- gamma 1.0`. */
export function describePinChange(change: PinChange): string {
  if (change.kind === 'added') return `+ ${change.name} ${change.to.join(', ')}`
  if (change.kind === 'removed') return `- ${change.name} ${change.from.join(', ')}`
  return `${change.name} ${change.from.join(', ')} → ${change.to.join(', ')}`
}
