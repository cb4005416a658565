import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  evaluateMarker,
  evaluateMarkerAcross,
  MarkerSyntaxError,
  parseMarker,
} from '../../../src-main/engine/verify/markers'
import { markerEnvironments, parseLibc } from '../../../src-main/engine/verify/targets'

const golden = JSON.parse(readFileSync(new URL('golden/pep440.json', import.meta.url), 'utf8')) as {
  markers: Record<string, Record<string, boolean>>
  environments: Record<string, Record<string, string>>
}

describe('markers, against packaging', () => {
  const cases = Object.entries(golden.markers).flatMap(([marker, results]) =>
    Object.entries(results).map(([env, expected]) => [marker, env, expected] as const),
  )
  it.each(cases)('%s on %s: %s', (marker, env, expected) => {
    expect(evaluateMarker(parseMarker(marker), golden.environments[env] ?? {})).toBe(expected)
  })
})

describe("a target's environments", () => {
  const cp310 = {
    python: '3.10',
    os: 'linux',
    arch: 'x86_64',
    libc: parseLibc('glibc 2.35'),
  } as const

  it('are the environments the golden file was evaluated in', () => {
    const [first, last] = markerEnvironments(cp310)
    const {
      platform_release: _r,
      platform_version: _v,
      ...known
    } = golden.environments['cp310-linux-x86_64-0'] ?? {}
    expect(first).toEqual(known)
    expect(last?.python_full_version).toBe('3.10.99')
  })

  it('need a pin on any patch release where its marker holds', () => {
    expect(evaluateMarkerAcross("python_full_version >= '3.10.1'", markerEnvironments(cp310))).toBe(
      true,
    )
    expect(evaluateMarkerAcross("python_full_version < '3.10'", markerEnvironments(cp310))).toBe(
      false,
    )
  })

  it('leave a marker on an unknown variable undecided, unless the rest decides it', () => {
    const envs = markerEnvironments(cp310)
    expect(evaluateMarkerAcross("platform_release >= '5.0'", envs)).toBe('unknown')
    expect(
      evaluateMarkerAcross("sys_platform == 'win32' and platform_release >= '5.0'", envs),
    ).toBe(false)
    expect(evaluateMarkerAcross("sys_platform == 'linux' or platform_release >= '5.0'", envs)).toBe(
      true,
    )
  })
})

describe('parseMarker', () => {
  it('refuses what is not a marker', () => {
    expect(() => parseMarker('python_version <')).toThrow(MarkerSyntaxError)
    expect(() => parseMarker("os.getcwd() == '/'")).toThrow(MarkerSyntaxError)
    expect(() => parseMarker("(python_version < '3'")).toThrow(MarkerSyntaxError)
  })
})
