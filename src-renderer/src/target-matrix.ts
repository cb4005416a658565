import type { TargetMatrixView } from '#shared/ipc/contract'

export type MatrixCellView = TargetMatrixView['rows'][number]['cells'][number]
export type MatrixRowView = TargetMatrixView['rows'][number]

const WORDS: Record<MatrixCellView['state'], string> = {
  installs: 'installs',
  'not-needed': 'not needed',
  'no-file': 'no file',
  'backend-missing': 'no backend',
  'requires-python': 'Python excluded',
  'not-served': 'not served',
}

/** The word a cell shows: what pip does with the pin on that target. */
export function cellWord(cell: MatrixCellView): string {
  if (cell.state === 'installs' && cell.via === 'sdist') return 'builds'
  return WORDS[cell.state]
}

export function cellFails(cell: MatrixCellView): boolean {
  return cell.state !== 'installs' && cell.state !== 'not-needed'
}

/** Every failing cell of a requirement row (build backends fail through their sdists). */
export function failingCells(
  matrix: TargetMatrixView,
): { row: MatrixRowView; cell: MatrixCellView; target: string }[] {
  return matrix.rows.flatMap((row) =>
    row.role === 'requirement'
      ? row.cells.flatMap((cell, i) =>
          cellFails(cell) ? [{ row, cell, target: matrix.targets[i]?.label ?? cell.target }] : [],
        )
      : [],
  )
}

/** nginx refused to read the mirror (a page or file answered 403): the permission doctor's case. */
export function hasForbidden(matrix: TargetMatrixView | null): boolean {
  return !!matrix?.rows.some((row) => row.cells.some((cell) => /\bHTTP 403\b/.test(cell.reason)))
}
