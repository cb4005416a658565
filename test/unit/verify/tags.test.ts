import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  parseWheelName,
  supportedTags,
  tagRanks,
  wheelRank,
} from '../../../src-main/engine/verify/tags'
import { parseLibc, type Target } from '../../../src-main/engine/verify/targets'

/** Written by golden/make-tags.py with packaging 26.4: what pip's own library says. */
function golden(name: string): string[] {
  const url = new URL(`golden/tags-${name}.txt`, import.meta.url)
  return readFileSync(url, 'utf8').trim().split('\n')
}

const CASES: [string, Target][] = [
  [
    'cp3.10-linux-x86_64-glibc2.35',
    { python: '3.10', os: 'linux', arch: 'x86_64', libc: parseLibc('glibc 2.35') },
  ],
  [
    'cp3.13-linux-aarch64-glibc2.17',
    { python: '3.13', os: 'linux', arch: 'aarch64', libc: parseLibc('glibc 2.17') },
  ],
  [
    'cp3.11-linux-x86_64-musl1.2',
    { python: '3.11', os: 'linux', arch: 'x86_64', libc: parseLibc('musl 1.2') },
  ],
  ['cp3.12-macos-aarch64', { python: '3.12', os: 'macos', arch: 'aarch64', libc: null }],
  ['cp3.12-macos-x86_64', { python: '3.12', os: 'macos', arch: 'x86_64', libc: null }],
  ['cp3.11-windows-x86_64', { python: '3.11', os: 'windows', arch: 'x86_64', libc: null }],
]

describe('supportedTags, against packaging.tags', () => {
  it.each(CASES)('%s: the same tags in the same order', (name, target) => {
    expect(supportedTags(target)).toEqual(golden(name))
  })
})

describe('wheels on a target', () => {
  const cp310 = tagRanks(CASES[0]![1])
  const aarch64 = tagRanks(CASES[1]![1])
  const musl = tagRanks(CASES[2]![1])
  const fits = (name: string, ranks: Map<string, number>) =>
    wheelRank(parseWheelName(name)!, ranks) >= 0

  it('takes abi3 wheels of older CPythons, never of newer ones', () => {
    expect(fits('cryptography-42.0.0-cp37-abi3-manylinux_2_28_x86_64.whl', cp310)).toBe(true)
    expect(fits('x-1-cp311-abi3-manylinux_2_17_x86_64.whl', cp310)).toBe(false)
  })

  it('takes no wheel of another CPython (the 3.10 gap)', () => {
    expect(
      fits(
        'pydantic_core-2.14.6-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
        cp310,
      ),
    ).toBe(false)
    expect(
      fits(
        'pydantic_core-2.14.6-cp310-cp310-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
        cp310,
      ),
    ).toBe(true)
  })

  it('reads the legacy manylinux names and refuses a glibc newer than the worker', () => {
    expect(fits('a-1-cp310-cp310-manylinux1_x86_64.whl', cp310)).toBe(true)
    expect(fits('a-1-cp310-cp310-manylinux2010_x86_64.whl', cp310)).toBe(true)
    expect(fits('a-1-cp310-cp310-manylinux_2_36_x86_64.whl', cp310)).toBe(false)
    expect(fits('a-1-cp313-cp313-manylinux2014_aarch64.whl', aarch64)).toBe(true)
    expect(fits('a-1-cp313-cp313-manylinux_2_28_aarch64.whl', aarch64)).toBe(false)
  })

  it('keeps musllinux and manylinux apart', () => {
    expect(fits('a-1-cp310-cp310-musllinux_1_1_x86_64.whl', cp310)).toBe(false)
    expect(fits('a-1-cp311-cp311-musllinux_1_1_x86_64.whl', musl)).toBe(true)
    expect(fits('a-1-cp311-cp311-manylinux2014_x86_64.whl', musl)).toBe(false)
  })

  it('takes pure wheels everywhere, py2-only ones nowhere', () => {
    expect(fits('six-1.16.0-py2.py3-none-any.whl', cp310)).toBe(true)
    expect(fits('a-1-py3-none-any.whl', aarch64)).toBe(true)
    expect(fits('a-1-py2-none-any.whl', cp310)).toBe(false)
    expect(fits('a-1-cp310-none-any.whl', cp310)).toBe(true)
  })

  it('ranks the more specific of two wheels first', () => {
    const pure = wheelRank(parseWheelName('a-1-py3-none-any.whl')!, cp310)
    const binary = wheelRank(parseWheelName('a-1-cp310-cp310-manylinux2014_x86_64.whl')!, cp310)
    expect(binary).toBeLessThan(pure)
  })
})

describe('parseWheelName', () => {
  it('expands compressed tags and reads a build tag', () => {
    expect(parseWheelName('Foo_Bar-1.0-1-py2.py3-none-any.whl')).toEqual({
      distribution: 'Foo_Bar',
      version: '1.0',
      build: '1',
      tags: ['py2-none-any', 'py3-none-any'],
    })
  })

  it('refuses names that are not wheels', () => {
    expect(parseWheelName('foo-1.0.tar.gz')).toBeNull()
    expect(parseWheelName('foo-1.0-py3.whl')).toBeNull()
  })
})
