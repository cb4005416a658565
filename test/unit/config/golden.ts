import { expect } from 'vitest'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const GOLDEN_DIR = fileURLToPath(new URL('./golden/', import.meta.url))

/** The path of a golden file, for tests that hand it to another program. */
export function goldenPath(name: string): string {
  return GOLDEN_DIR + name
}

export function readGolden(name: string): string {
  return readFileSync(goldenPath(name), 'utf8')
}

/**
 * Compares byte for byte with test/unit/config/golden/<name>. `UPDATE_GOLDEN=1` rewrites the
 * file instead: review the git diff of the goldens before committing it.
 */
export function expectGolden(name: string, actual: string): void {
  const path = goldenPath(name)
  if (process.env.UPDATE_GOLDEN === '1') {
    writeFileSync(path, actual)
    return
  }
  if (!existsSync(path)) {
    throw new Error(`golden file ${name} is missing: run the test with UPDATE_GOLDEN=1 to write it`)
  }
  expect(actual).toBe(readFileSync(path, 'utf8'))
}
