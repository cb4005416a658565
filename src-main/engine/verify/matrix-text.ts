import type { MatrixCell, TargetMatrix } from './matrix-types'

/** One word per cell, for a table a terminal can show. */
const WORDS: Record<MatrixCell['state'], string> = {
  installs: 'installs',
  'not-needed': '-',
  'no-file': 'NO FILE',
  'backend-missing': 'NO BACKEND',
  'requires-python': 'PY EXCLUDED',
  'not-served': 'NOT SERVED',
}

function word(cell: MatrixCell): string {
  if (cell.state === 'installs' && cell.via === 'sdist') return 'builds'
  return WORDS[cell.state]
}

/** "3.10 linux x86_64" from a target id such as cp3.10-linux-x86_64-glibc2.35. */
function shortTarget(id: string): string {
  const [python, os, arch] = id.replace(/^cp/, '').split('-')
  return `${python} ${os} ${arch}`
}

/**
 * The matrix as text lines: a header of targets, one line per pin, then every failing cell with
 * its reason and fix. The same lines go to the step's log and the CLI.
 */
export function matrixLines(matrix: TargetMatrix): string[] {
  const pinText = matrix.rows.map(
    (row) => `${row.name}==${row.version}${row.role === 'build-backend' ? ' (build)' : ''}`,
  )
  const first = Math.max(4, ...pinText.map((t) => t.length))
  const columns = matrix.targets.map((t, i) =>
    Math.max(
      shortTarget(t.id).length,
      ...matrix.rows.map((r) => word(r.cells[i] as MatrixCell).length),
    ),
  )
  const line = (head: string, cells: string[]) =>
    [head.padEnd(first), ...cells.map((c, i) => c.padEnd(columns[i] as number))]
      .join('  ')
      .trimEnd()
  const lines = [
    line(
      'pin',
      matrix.targets.map((t) => shortTarget(t.id)),
    ),
  ]
  matrix.rows.forEach((row, r) => lines.push(line(pinText[r] as string, row.cells.map(word))))
  for (const row of matrix.rows)
    row.cells.forEach((cell, i) => {
      if (cell.state === 'installs' || cell.state === 'not-needed') return
      const target = matrix.targets[i]?.label ?? cell.target
      lines.push(`${row.name}==${row.version} on ${target}: ${cell.reason}`)
      if (cell.fix) lines.push(`  fix: ${cell.fix}`)
    })
  return lines
}
