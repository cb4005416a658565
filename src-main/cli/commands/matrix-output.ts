import type { RunSummary } from '../../engine/run'
import { proofOf } from '../../engine/plan/step-values'
import { verifyMirrorStep } from '../../engine/steps/verify-mirror'
import type { Output } from '../render'

/**
 * The verify step's pins × targets matrix (its proof, also when it failed) as one JSON line
 * (`--json`). People read it in the verify step's log, where the step prints it as a table with
 * each failing cell's fix.
 */
export function writeTargetMatrix(summary: RunSummary, out: Output): void {
  const matrix = proofOf(summary, verifyMirrorStep)?.matrix
  if (matrix) out.write(`${JSON.stringify({ type: 'target-matrix', ...matrix })}\n`)
}
