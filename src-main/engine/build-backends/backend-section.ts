import type { PinnedRequirement } from '../steps/pinned-requirements'
import { BUILD_BACKEND_VIA } from '../verify/build-systems'

export const BACKEND_SECTION_HEADER = [
  "# Build backends of the sdists above, resolved by Pip Mirror Wizard from each sdist's",
  '# build-system (see build-systems.json): pip fetches them from this mirror to build those',
  '# sdists, even with --no-deps.',
]

function pinLine(pin: PinnedRequirement): string {
  return `${pin.name}==${pin.version}${pin.marker ? ` ; ${pin.marker}` : ''}`
}

/** requirements.txt without a backend section this function appended before. */
export function withoutBackendSection(text: string): string {
  const at = text.indexOf(BACKEND_SECTION_HEADER[0] as string)
  return at < 0 ? text : text.slice(0, at).replace(/\n+$/, '\n')
}

/**
 * Appends the build backends' pins to a resolved requirements.txt, each with a `# via build
 * backend of <sdist pin>` line per sdist that needs it. A pin already in the file (same name,
 * version and marker) is not repeated: the mirror has it anyway.
 */
export function appendBackendSection(
  text: string,
  present: readonly PinnedRequirement[],
  closures: ReadonlyMap<string, readonly PinnedRequirement[]>,
): string {
  const base = withoutBackendSection(text)
  const existing = new Set(present.map(pinLine))
  const added = new Map<string, string[]>()
  for (const [sdist, closure] of closures)
    for (const pin of closure) {
      const line = pinLine(pin)
      if (existing.has(line)) continue
      added.set(line, [...(added.get(line) ?? []), sdist])
    }
  if (added.size === 0) return base
  const lines = [...added.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([line, sdists]) => [line, ...sdists.map((s) => `    # via ${BUILD_BACKEND_VIA}${s}`)])
  return `${base.replace(/\n*$/, '\n')}\n${[...BACKEND_SECTION_HEADER, ...lines].join('\n')}\n`
}
