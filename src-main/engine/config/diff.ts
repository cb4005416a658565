import { diffLines, splitLines, type LineEdit } from './line-diff'

/**
 * Unified diffs of configuration files, as `diff -u` (and `git diff`) print them, for the plan
 * shown to the operator before anything on a host is touched.
 */

export interface UnifiedDiffOptions {
  /** The file's path on the host; shown as `a/<path>` and `b/<path>`. */
  path: string
  /** Unchanged lines around each change (3, as `diff -u`). */
  context?: number
}

const NO_NEWLINE_MARKER = '\\ No newline at end of file\n'

/** True when writing `newText` would leave the file exactly as it is. */
export function isUnchanged(oldText: string | null, newText: string): boolean {
  return oldText === newText
}

/**
 * The unified diff from `oldText` to `newText`; `oldText` null means the file does not exist yet.
 * Returns '' when nothing changes.
 */
export function unifiedDiff(
  oldText: string | null,
  newText: string,
  { path, context = 3 }: UnifiedDiffOptions,
): string {
  if (/[\r\n\0]/.test(path) || path.length === 0) {
    throw new Error(`unifiedDiff: the path ${JSON.stringify(path)} cannot be shown in a header`)
  }
  if (!Number.isInteger(context) || context < 0) {
    throw new Error(`unifiedDiff: context must be a whole number of lines, not ${context}`)
  }
  if (isUnchanged(oldText, newText)) return ''

  const shownPath = path.replace(/^\/+/, '')
  const header = `${oldText === null ? '--- /dev/null' : `--- a/${shownPath}`}\n+++ b/${shownPath}\n`
  const edits = diffLines(splitLines(oldText ?? ''), splitLines(newText))
  return (
    header +
    hunkRanges(edits, context)
      .map((range) => renderHunk(edits, range))
      .join('')
  )
}

interface HunkRange {
  /** Edit indices [start, end) shown in the hunk. */
  start: number
  end: number
}

/** Groups changes whose unchanged gap is at most twice the context into one hunk, as diff does. */
function hunkRanges(edits: readonly LineEdit[], context: number): HunkRange[] {
  const ranges: HunkRange[] = []
  let current: HunkRange | null = null
  edits.forEach((edit, index) => {
    if (edit.kind === 'equal') return
    const start = Math.max(0, index - context)
    const end = Math.min(edits.length, index + 1 + context)
    if (current && start <= current.end) {
      current.end = end
    } else {
      current = { start, end }
      ranges.push(current)
    }
  })
  return ranges
}

function renderHunk(edits: readonly LineEdit[], { start, end }: HunkRange): string {
  let oldLine = 1
  let newLine = 1
  for (const edit of edits.slice(0, start)) {
    if (edit.kind !== 'insert') oldLine++
    if (edit.kind !== 'delete') newLine++
  }
  const shown = edits.slice(start, end)
  const oldCount = shown.filter((edit) => edit.kind !== 'insert').length
  const newCount = shown.filter((edit) => edit.kind !== 'delete').length

  let text = `@@ -${lineRange(oldLine, oldCount)} +${lineRange(newLine, newCount)} @@\n`
  for (const edit of shown) {
    const prefix = edit.kind === 'equal' ? ' ' : edit.kind === 'delete' ? '-' : '+'
    text += prefix + edit.line
    if (!edit.line.endsWith('\n')) text += '\n' + NO_NEWLINE_MARKER
  }
  return text
}

/**
 * `start,count`, shortened to `start` for one line; an empty range names the line before it
 * (`0,0` at the top of a file), which is what `patch` expects.
 */
function lineRange(start: number, count: number): string {
  if (count === 0) return `${start - 1},0`
  if (count === 1) return `${start}`
  return `${start},${count}`
}
