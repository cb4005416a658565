import type { PinnedRequirement } from '../steps/pinned-requirements'
import { buildBackendOf } from './build-systems'
import { evaluateMarkerAcross, MarkerSyntaxError, type Truth } from './markers'
import { cellFails, type MatrixCell, type MatrixRow, type TargetMatrix } from './matrix-types'
import { releaseVerdict, type VerdictInput } from './release-verdict'
import { markerEnvironments, targetId, targetLabel, type Target } from './targets'

export interface MatrixInput extends VerdictInput {
  pins: readonly PinnedRequirement[]
  targets: readonly Target[]
}

/** Whether a pin's marker holds on a target; a marker that does not parse is kept as needed. */
export function markerTruth(marker: string, target: Target): Truth {
  if (!marker) return true
  try {
    return evaluateMarkerAcross(marker, markerEnvironments(target))
  } catch (error) {
    if (error instanceof MarkerSyntaxError) return 'unknown'
    throw error
  }
}

function cell(pin: PinnedRequirement, target: Target, input: VerdictInput): MatrixCell {
  const id = targetId(target)
  const truth = markerTruth(pin.marker, target)
  if (truth === false)
    return {
      target: id,
      state: 'not-needed',
      file: null,
      sha256: null,
      via: null,
      reason: `not needed: "${pin.marker}" is false on ${targetLabel(target)}`,
      fix: null,
      markerUndecided: false,
    }
  const verdict = releaseVerdict(pin.name, pin.version, target, input)
  return {
    target: id,
    state: verdict.state,
    file: verdict.file?.filename ?? null,
    sha256: verdict.file?.sha256 ?? null,
    via: verdict.via,
    reason: verdict.reason,
    fix: verdict.fix,
    markerUndecided: truth === 'unknown',
  }
}

/** Every pin against every target: what pip does with it there, from the mirror's own index. */
export function computeMatrix(input: MatrixInput): TargetMatrix {
  const rows: MatrixRow[] = input.pins.map((pin) => {
    const backendOf = buildBackendOf(pin.via)
    return {
      name: pin.name,
      version: pin.version,
      marker: pin.marker,
      role:
        backendOf.length > 0 && !pin.direct && pin.via.length === backendOf.length
          ? 'build-backend'
          : 'requirement',
      buildBackendOf: backendOf,
      cells: input.targets.map((target) => cell(pin, target, input)),
    }
  })
  const failures = rows
    .filter((row) => row.role === 'requirement')
    .reduce((n, row) => n + row.cells.filter(cellFails).length, 0)
  return {
    targets: input.targets.map((t) => ({ id: targetId(t), label: targetLabel(t) })),
    rows,
    failures,
  }
}

/** The file URLs the matrix relies on, to ask the mirror for (HEAD) before the final matrix. */
export function filesReliedOn(input: MatrixInput): string[] {
  const urls = new Set<string>()
  for (const pin of input.pins)
    for (const target of input.targets) {
      if (markerTruth(pin.marker, target) === false) continue
      for (const url of releaseVerdict(pin.name, pin.version, target, input).files) urls.add(url)
    }
  return [...urls].sort()
}
