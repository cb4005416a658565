import type { TargetMatrix } from '../../engine/verify/matrix-types'
import { TARGET_MATRIX } from '../../engine/verify/verify-targets'
import type { Output } from '../render'

/**
 * The verify step's pins × targets matrix as one JSON line (`--json`). People read it in the
 * verify step's log, where the step prints it as a table with each failing cell's fix.
 */
export function writeTargetMatrix(shared: ReadonlyMap<string, unknown>, out: Output): void {
  const matrix = shared.get(TARGET_MATRIX) as TargetMatrix | undefined
  if (matrix) out.write(`${JSON.stringify({ type: 'target-matrix', ...matrix })}\n`)
}
