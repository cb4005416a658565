/**
 * A shortest line edit script between two texts (Myers' O(ND) algorithm, linear-space variant:
 * find the middle snake, recurse on both sides).
 */

export type LineEdit =
  | { kind: 'equal'; line: string }
  | { kind: 'delete'; line: string }
  | { kind: 'insert'; line: string }

/**
 * Splits a text into lines that keep their `\n`, so that a last line without one differs from
 * the same line with one, as it does for `diff`.
 */
export function splitLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/)
  return lines[lines.length - 1] === '' ? lines.slice(0, -1) : lines
}

/** The edits that turn `before` into `after`, deletions first within each change. */
export function diffLines(before: readonly string[], after: readonly string[]): LineEdit[] {
  const edits: LineEdit[] = []
  new EditScript(before, after, edits).solve(0, before.length, 0, after.length)
  return deletionsFirst(edits)
}

interface Snake {
  /** Where the diagonal run starts and ends, relative to the sub-problem. */
  x: number
  y: number
  u: number
  v: number
}

class EditScript {
  constructor(
    private readonly a: readonly string[],
    private readonly b: readonly string[],
    private readonly out: LineEdit[],
  ) {}

  solve(aLo: number, aHi: number, bLo: number, bHi: number): void {
    const { a, b, out } = this
    while (aLo < aHi && bLo < bHi && a[aLo] === b[bLo]) {
      out.push({ kind: 'equal', line: a[aLo] as string })
      aLo++
      bLo++
    }
    let suffix = 0
    while (
      aHi - suffix > aLo &&
      bHi - suffix > bLo &&
      a[aHi - suffix - 1] === b[bHi - suffix - 1]
    ) {
      suffix++
    }
    aHi -= suffix
    bHi -= suffix

    if (aLo === aHi || bLo === bHi) {
      for (let i = aLo; i < aHi; i++) out.push({ kind: 'delete', line: a[i] as string })
      for (let j = bLo; j < bHi; j++) out.push({ kind: 'insert', line: b[j] as string })
    } else {
      const snake = this.middleSnake(aLo, aHi, bLo, bHi)
      this.solve(aLo, aLo + snake.x, bLo, bLo + snake.y)
      for (let i = snake.x; i < snake.u; i++) {
        out.push({ kind: 'equal', line: a[aLo + i] as string })
      }
      this.solve(aLo + snake.u, aHi, bLo + snake.v, bHi)
    }

    for (let i = aHi; i < aHi + suffix; i++) out.push({ kind: 'equal', line: a[i] as string })
  }

  /**
   * Runs the search from both corners at once until the paths meet; the diagonal run where they
   * meet splits the problem in two. Callers guarantee both ranges are non-empty and that their
   * first and last lines differ, so the split always makes both halves smaller.
   */
  private middleSnake(aLo: number, aHi: number, bLo: number, bHi: number): Snake {
    const { a, b } = this
    const n = aHi - aLo
    const m = bHi - bLo
    const delta = n - m
    const deltaIsOdd = (delta & 1) !== 0
    const limit = Math.ceil((n + m) / 2)
    const offset = limit + 1
    // forward[k]: furthest x on diagonal k = x - y from the top-left corner.
    // backward[k]: furthest distance travelled from the bottom-right corner on diagonal k
    // of the reversed problem, which is diagonal delta - k of the forward one.
    const forward = new Int32Array(2 * offset + 1)
    const backward = new Int32Array(2 * offset + 1)

    for (let d = 0; d <= limit; d++) {
      for (let k = -d; k <= d; k += 2) {
        const fromAbove =
          k === -d || (k !== d && at(forward, offset + k - 1) < at(forward, offset + k + 1))
        const startX = fromAbove ? at(forward, offset + k + 1) : at(forward, offset + k - 1) + 1
        const startY = startX - k
        let x = startX
        let y = startY
        while (x < n && y < m && a[aLo + x] === b[bLo + y]) {
          x++
          y++
        }
        forward[offset + k] = x
        const reverseK = delta - k
        if (deltaIsOdd && reverseK >= -(d - 1) && reverseK <= d - 1) {
          if (x + at(backward, offset + reverseK) >= n) return { x: startX, y: startY, u: x, v: y }
        }
      }

      for (let k = -d; k <= d; k += 2) {
        const fromAbove =
          k === -d || (k !== d && at(backward, offset + k - 1) < at(backward, offset + k + 1))
        const startX = fromAbove ? at(backward, offset + k + 1) : at(backward, offset + k - 1) + 1
        const startY = startX - k
        let x = startX
        let y = startY
        while (x < n && y < m && a[aHi - 1 - x] === b[bHi - 1 - y]) {
          x++
          y++
        }
        backward[offset + k] = x
        const forwardK = delta - k
        if (!deltaIsOdd && forwardK >= -d && forwardK <= d) {
          if (x + at(forward, offset + forwardK) >= n) {
            return { x: n - x, y: m - y, u: n - startX, v: m - startY }
          }
        }
      }
    }
    throw new Error('line diff: the forward and backward searches did not meet')
  }
}

function at(array: Int32Array, index: number): number {
  return array[index] as number
}

/** Within each run of changes, lists the removed lines before the added ones, as `diff` does. */
function deletionsFirst(edits: LineEdit[]): LineEdit[] {
  const result: LineEdit[] = []
  let inserts: LineEdit[] = []
  for (const edit of edits) {
    if (edit.kind === 'insert') {
      inserts.push(edit)
      continue
    }
    if (edit.kind === 'equal' && inserts.length > 0) {
      result.push(...inserts)
      inserts = []
    }
    result.push(edit)
  }
  result.push(...inserts)
  return result
}
