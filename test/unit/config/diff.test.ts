import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isUnchanged, unifiedDiff } from '../../../src-main/engine/config/diff'
import { diffLines, splitLines } from '../../../src-main/engine/config/line-diff'

const PATH = 'etc/bandersnatch.conf'

/** What GNU diff prints for the same change, with the same a/ and b/ labels. */
function gnuDiff(oldText: string | null, newText: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pmw-diff-'))
  try {
    const oldFile = join(dir, 'old')
    const newFile = join(dir, 'new')
    if (oldText !== null) writeFileSync(oldFile, oldText)
    writeFileSync(newFile, newText)
    const oldLabel = oldText === null ? '/dev/null' : `a/${PATH}`
    const result = spawnSync(
      'diff',
      [
        '-u',
        '--label',
        oldLabel,
        '--label',
        `b/${PATH}`,
        oldText === null ? '/dev/null' : oldFile,
        newFile,
      ],
      { encoding: 'utf8' },
    )
    expect(result.status, result.stderr).toBeLessThanOrEqual(1)
    return result.stdout
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function numbered(count: number, from = 1): string {
  return Array.from({ length: count }, (_, i) => `line ${i + from}\n`).join('')
}

function replaceLines(text: string, replacements: Record<number, string>): string {
  return splitLines(text)
    .map((line, index) => replacements[index + 1] ?? line)
    .join('')
}

describe('unifiedDiff', () => {
  const base = numbered(30)
  const cases: [string, string | null, string][] = [
    ['one changed line in the middle', base, replaceLines(base, { 15: 'changed 15\n' })],
    ['a changed first line', base, replaceLines(base, { 1: 'changed 1\n' })],
    ['a changed last line', base, replaceLines(base, { 30: 'changed 30\n' })],
    [
      'changes 6 unchanged lines apart share a hunk',
      base,
      replaceLines(base, { 10: 'x\n', 17: 'y\n' }),
    ],
    [
      'changes 7 unchanged lines apart get two hunks',
      base,
      replaceLines(base, { 10: 'x\n', 18: 'y\n' }),
    ],
    ['lines added at the top', base, 'new a\nnew b\n' + base],
    ['lines removed at the end', base, numbered(26)],
    ['a block replaced by a longer one', base, replaceLines(base, { 12: 'p\nq\nr\n', 13: 's\n' })],
    ['the old file lacks a final newline', 'a\nb\nc', 'a\nb\nc\n'],
    ['the new file lacks a final newline', 'a\nb\nc\n', 'a\nb\nc'],
    ['both lack it and the last line changes', 'a\nb\nc', 'a\nb\nd'],
    ['both lack it and an earlier line changes', 'a\nb\nc\nd\ne', 'a\nB\nc\nd\ne'],
    ['a new file', null, 'first\nsecond\nthird\n'],
    ['a new file of one line without newline', null, 'only'],
    ['an empty file gets content', '', 'x\ny\n'],
    ['a file is emptied', 'x\ny\n', ''],
    ['one line to one line', 'old\n', 'new\n'],
    ['CRLF line endings', 'a\r\nb\r\nc\r\n', 'a\r\nB\r\nc\r\n'],
  ]

  it.each(cases)('matches GNU diff -u: %s', (_name, oldText, newText) => {
    expect(unifiedDiff(oldText, newText, { path: PATH })).toBe(gnuDiff(oldText, newText))
  })

  it('prints the known output for a new file', () => {
    expect(unifiedDiff(null, 'a\nb\n', { path: '/etc/nginx/sites-available/pip-mirror-8080' }))
      .toBe(`--- /dev/null
+++ b/etc/nginx/sites-available/pip-mirror-8080
@@ -0,0 +1,2 @@
+a
+b
`)
  })

  it('prints the known output for a missing final newline', () => {
    expect(unifiedDiff('x\ny', 'x\nz\n', { path: 'f' })).toBe(`--- a/f
+++ b/f
@@ -1,2 +1,2 @@
 x
-y
\\ No newline at end of file
+z
`)
  })

  it('is empty, and isUnchanged true, when nothing changes', () => {
    expect(unifiedDiff('same\n', 'same\n', { path: PATH })).toBe('')
    expect(isUnchanged('same\n', 'same\n')).toBe(true)
    expect(isUnchanged('same\n', 'same')).toBe(false)
    expect(isUnchanged(null, '')).toBe(false)
  })

  it('honours a smaller context', () => {
    const diff = unifiedDiff(base, replaceLines(base, { 15: 'x\n' }), { path: PATH, context: 1 })
    expect(diff.split('\n').slice(2, 4)).toEqual(['@@ -14,3 +14,3 @@', ' line 14'])
  })

  it('refuses a path that would break the header', () => {
    expect(() => unifiedDiff('a', 'b', { path: 'x\n+++ b/y' })).toThrow(/cannot be shown/)
  })
})

describe('diffLines', () => {
  /** Length of the longest common subsequence, by dynamic programming. */
  function lcsLength(a: readonly string[], b: readonly string[]): number {
    let previous = new Array<number>(b.length + 1).fill(0)
    for (const lineA of a) {
      const current = [0]
      b.forEach((lineB, j) => {
        current.push(
          lineA === lineB
            ? (previous[j] ?? 0) + 1
            : Math.max(previous[j + 1] ?? 0, current[j] ?? 0),
        )
      })
      previous = current
    }
    return previous[b.length] ?? 0
  }

  function randomLines(random: () => number, maxLength: number): string[] {
    const length = Math.floor(random() * (maxLength + 1))
    return Array.from({ length }, () => 'abcd'[Math.floor(random() * 4)] as string)
  }

  /** A small deterministic generator, so a failure can be replayed. */
  function seeded(seed: number): () => number {
    let state = seed
    return () => {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648
      return state / 2_147_483_648
    }
  }

  it('finds a shortest edit script that rebuilds both sides (2000 random cases)', () => {
    const random = seeded(42)
    for (let round = 0; round < 2000; round++) {
      const a = randomLines(random, 14)
      const b = randomLines(random, 14)
      const edits = diffLines(a, b)
      expect(edits.filter((e) => e.kind !== 'insert').map((e) => e.line)).toEqual(a)
      expect(edits.filter((e) => e.kind !== 'delete').map((e) => e.line)).toEqual(b)
      const changes = edits.filter((e) => e.kind !== 'equal').length
      expect(changes, `${a.join('')} -> ${b.join('')}`).toBe(
        a.length + b.length - 2 * lcsLength(a, b),
      )
    }
  })

  // A quadratic diff of these would run past vitest's own time limit.
  it('diffs 20,000-line inputs', () => {
    const a = Array.from({ length: 20_000 }, (_, i) => `${i % 7}-${i}\n`)
    const b = a.filter((_, i) => i % 3 !== 0).concat(a.slice(0, 500))
    const edits = diffLines(a, b)
    expect(edits.filter((e) => e.kind !== 'delete').length).toBe(b.length)
    expect(edits.filter((e) => e.kind !== 'insert').length).toBe(a.length)
  })
})

describe('unifiedDiff output applies with patch', () => {
  it('turns the old text into the new one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pmw-patch-'))
    try {
      const oldText = numbered(40)
      const newText = replaceLines(oldText, { 3: 'three\n', 20: 'twenty\nand more\n', 40: 'last' })
      const file = join(dir, 'file.conf')
      writeFileSync(file, oldText)
      const result = spawnSync('patch', ['--quiet', file], {
        input: unifiedDiff(oldText, newText, { path: 'file.conf' }),
        encoding: 'utf8',
      })
      expect(result.status, result.stdout + result.stderr).toBe(0)
      expect(readFileSync(file, 'utf8')).toBe(newText)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
