import type { PinnedRequirement } from '../steps/pinned-requirements'

type Pin = Pick<PinnedRequirement, 'name' | 'version'>

const key = (pin: Pin): string => `${pin.name}==${pin.version}`

/**
 * After an update, every pin it replaced or dropped stays mirrored and served (a worker may
 * still install it) until the operator prunes it: the old retained pins and the old pins that
 * are gone, less whatever is pinned again.
 */
export function retainedAfterUpdate(
  oldPinned: readonly Pin[],
  oldRetained: readonly Pin[],
  newPinned: readonly Pin[],
): Pin[] {
  const pinned = new Set(newPinned.map(key))
  const kept = new Map<string, Pin>()
  for (const pin of [...oldRetained, ...oldPinned])
    if (!pinned.has(key(pin))) kept.set(key(pin), { name: pin.name, version: pin.version })
  return [...kept.values()].sort((a, b) => key(a).localeCompare(key(b)))
}

/** retained.txt: read by bandersnatch beside requirements.txt (comments are skipped). */
export function retainedText(pins: readonly Pin[]): string {
  return [
    '# Written by Pip Mirror Wizard: releases an update replaced or dropped, still mirrored and',
    '# served so that no worker breaks mid-update. `pip-mirror prune` removes them.',
    ...pins.map(key),
    '',
  ].join('\n')
}
