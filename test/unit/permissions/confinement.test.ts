import { describe, expect, it } from 'vitest'
import { CONFINED_REPAIR_PY } from '../../../src-main/engine/permissions/confined-repair'
import {
  FIRST_LOGIN_UID,
  SYSTEM_LOCATIONS,
  confine,
  forbiddenReason,
} from '../../../src-main/engine/permissions/confinement'

const HOMES = [
  { uid: 1000, user: 'ops', home: '/home/ops' },
  { uid: 1001, user: 'ann', home: '/home/ann' },
]

describe('the rules, in TypeScript (the plan) and in the helper (the run)', () => {
  it('name the same system locations and the same first login uid', () => {
    const tuple = /SYSTEM_LOCATIONS = \(([^)]*)\)/.exec(CONFINED_REPAIR_PY)?.[1] ?? ''
    expect([...tuple.matchAll(/"([^"]+)"/g)].map((m) => m[1])).toEqual(SYSTEM_LOCATIONS)
    expect(CONFINED_REPAIR_PY).toContain(`FIRST_LOGIN_UID = ${FIRST_LOGIN_UID}\n`)
  })
})

describe('forbiddenReason', () => {
  it('refuses /, system locations and what is inside them', () => {
    expect(forbiddenReason('/', HOMES, 1000)).toBe('/ is the root of the whole system')
    for (const path of [
      '/etc',
      '/etc/ssl/private',
      '/root/x',
      '/usr/share',
      '/var/lib/pypi',
      '/boot',
    ])
      expect(forbiddenReason(path, HOMES, 1000), path).toMatch(/is a system location$/)
    expect(forbiddenReason('/var/lib', HOMES, 1000)).toBe('/var/lib is a system location')
  })

  it("refuses another person's home, not the owner's own, and not look-alike names", () => {
    expect(forbiddenReason('/home/ann/pypi/web', HOMES, 1000)).toBe(
      '/home/ann is the home of ann, who does not own the mirror',
    )
    expect(forbiddenReason('/home/ops/pypi/web', HOMES, 1000)).toBeNull()
    expect(forbiddenReason('/home/annex/web', HOMES, 1000)).toBeNull()
    expect(forbiddenReason('/etcetera/web', HOMES, 1000)).toBeNull()
    expect(forbiddenReason('/var/www/pypi/web', HOMES, 1000)).toBeNull()
    expect(forbiddenReason('/srv/pypi/web', HOMES, 1000)).toBeNull()
  })
})

describe('confine', () => {
  const base = {
    mirrorDir: '/srv/pypi',
    realMirrorDir: '/srv/pypi',
    web: '/srv/pypi/web',
    ownerUid: 1000,
    owner: 'ops',
    homes: HOMES,
  }
  it('names the real path and refuses a web/ that resolves to /etc', () => {
    expect(confine({ ...base, realWeb: '/etc' }).refusal).toBe(
      'the served directory /srv/pypi/web resolves to /etc, and /etc is a system location',
    )
  })
  it('refuses a mirror directory that resolves into /root', () => {
    expect(confine({ ...base, realMirrorDir: '/root/m', realWeb: '/root/m/web' }).refusal).toBe(
      'the mirror directory /srv/pypi resolves to /root/m, and /root is a system location',
    )
  })
  it('accepts a data disk', () => {
    const c = confine({ ...base, realWeb: '/data/pypi-web' })
    expect(c.refusal).toBeNull()
    expect(c.realWeb).toBe('/data/pypi-web')
  })
})
