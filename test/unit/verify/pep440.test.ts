import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  compareVersions,
  parseSpecifierSet,
  parseVersion,
  specifierSetContains,
  versionsEqual,
  type Version,
} from '../../../src-main/engine/verify/pep440'

/** Written by golden/make-pep440.py: what packaging decides, the library pip is built on. */
const golden = JSON.parse(readFileSync(new URL('golden/pep440.json', import.meta.url), 'utf8')) as {
  specifiers: Record<string, Record<string, boolean>>
  order: string[]
}

describe('specifiers, against packaging', () => {
  const cases = Object.entries(golden.specifiers).flatMap(([spec, versions]) =>
    Object.entries(versions).map(([version, expected]) => [spec, version, expected] as const),
  )
  it.each(cases)('%s contains %s: %s', (spec, version, expected) => {
    expect(specifierSetContains(spec, version)).toBe(expected)
  })
})

describe('versions', () => {
  it('sort as packaging sorts them', () => {
    const sorted = [...golden.order]
      .reverse()
      .sort((a, b) => compareVersions(parseVersion(a) as Version, parseVersion(b) as Version))
    // 1.0 and 1.0.0 are equal: either order is packaging's.
    expect(sorted.filter((v) => v !== '1.0.0')).toEqual(golden.order.filter((v) => v !== '1.0.0'))
  })

  it('normalises spellings', () => {
    expect(versionsEqual('1.0', '1.0.0')).toBe(true)
    expect(versionsEqual('1.0-alpha.1', '1.0a1')).toBe(true)
    expect(versionsEqual('v2.1-1', '2.1.post1')).toBe(true)
    expect(versionsEqual('1.0', '1.0.1')).toBe(false)
    expect(parseVersion('not-a-version')).toBeNull()
  })

  it('refuses specifiers packaging refuses', () => {
    expect(parseSpecifierSet('<=1.0+local')).toBeNull()
    expect(parseSpecifierSet('~=3')).toBeNull()
    expect(parseSpecifierSet('>=3.*')).toBeNull()
    expect(specifierSetContains('>=three', '3.10.0')).toBeNull()
  })
})
