import type { PinnedRequirement } from '../steps/pinned-requirements'
import { markerTruth } from '../verify/matrix'
import { releaseVerdict, type ProjectPage } from '../verify/release-verdict'
import type { Target } from '../verify/targets'

export interface SdistPin {
  pin: PinnedRequirement
  /** The sdist pip would build, on the upstream. */
  url: string
  filename: string
  /** The targets that would build it (no wheel fits there). */
  targets: Target[]
}

/**
 * The pins pip would build from their sdist on at least one target where they are needed: no
 * wheel of the pinned release fits there (from the upstream's own pages).
 */
export function sdistPins(
  pins: readonly PinnedRequirement[],
  targets: readonly Target[],
  pages: ReadonlyMap<string, ProjectPage>,
): SdistPin[] {
  const found: SdistPin[] = []
  for (const pin of pins) {
    let sdist: SdistPin | null = null
    for (const target of targets) {
      if (markerTruth(pin.marker, target) === false) continue
      const verdict = releaseVerdict(pin.name, pin.version, target, {
        pages,
        buildSystems: null,
        fileStatus: null,
      })
      if (verdict.via !== 'sdist' || !verdict.file) continue
      sdist ??= { pin, url: verdict.file.url, filename: verdict.file.filename, targets: [] }
      sdist.targets.push(target)
    }
    if (sdist) found.push(sdist)
  }
  return found
}
