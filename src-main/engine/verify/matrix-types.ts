/**
 * The proof's result: every pin against every target, each cell saying what pip would do there.
 * Plain data, shared with the CLI's --json output and the app.
 */

export type CellState =
  /** A file of the pin installs there: a matching wheel, or an sdist whose backend is mirrored. */
  | 'installs'
  /** Its marker is false there: pip skips the line. */
  | 'not-needed'
  /** No wheel for the target and no sdist. */
  | 'no-file'
  /** Only an sdist fits, and its build backend (or the backend's own dependencies) is missing. */
  | 'backend-missing'
  /** Files fit the platform but their requires-python excludes the target's Python. */
  | 'requires-python'
  /** The mirror does not serve the release: its page or its file does not answer 200. */
  | 'not-served'

export const FAILING_STATES: readonly CellState[] = [
  'no-file',
  'backend-missing',
  'requires-python',
  'not-served',
]

export interface MatrixCell {
  target: string
  state: CellState
  /** The file pip would take there (installs), or the one it tried. */
  file: string | null
  sha256: string | null
  /** installs: from a wheel, or built from the sdist. */
  via: 'wheel' | 'sdist' | null
  /** One sentence: why this cell is what it is. */
  reason: string
  /** The one action that fixes a failing cell. */
  fix: string | null
  /** The pin's marker could not be decided for this target (an unknown variable): kept as needed. */
  markerUndecided: boolean
}

export interface MatrixRow {
  name: string
  version: string
  marker: string
  /** `build-backend`: in the mirror only to build an sdist of the closure. */
  role: 'requirement' | 'build-backend'
  buildBackendOf: string[]
  cells: MatrixCell[]
}

export interface MatrixTarget {
  id: string
  label: string
}

export interface TargetMatrix {
  targets: MatrixTarget[]
  rows: MatrixRow[]
  /** Failing cells of requirement rows: what makes apply exit 1. */
  failures: number
}

export function cellFails(cell: MatrixCell): boolean {
  return FAILING_STATES.includes(cell.state)
}

export function failingCells(
  matrix: TargetMatrix,
): { row: MatrixRow; cell: MatrixCell; target: MatrixTarget }[] {
  const out: { row: MatrixRow; cell: MatrixCell; target: MatrixTarget }[] = []
  for (const row of matrix.rows) {
    if (row.role !== 'requirement') continue
    row.cells.forEach((cell, i) => {
      if (cellFails(cell)) out.push({ row, cell, target: matrix.targets[i] as MatrixTarget })
    })
  }
  return out
}
