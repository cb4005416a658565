import { describe, expect, it } from 'vitest'
import {
  classBits,
  grantFor,
  missingBits,
  modeString,
  octal,
  permissionClass,
  withGrant,
} from '../../../src-main/engine/permissions/mode-bits'

const WWW = { name: 'www-data', uid: 33, gids: [33, 4] }

describe('permission classes and bits', () => {
  it('picks exactly one class: owner before group before others', () => {
    expect(permissionClass({ uid: 33, gid: 4 }, WWW)).toBe('owner')
    expect(permissionClass({ uid: 1000, gid: 4 }, WWW)).toBe('group')
    expect(permissionClass({ uid: 1000, gid: 1000 }, WWW)).toBe('others')
  })

  it('reads and adds the bits of one class', () => {
    expect(classBits(0o750, 'owner')).toBe(7)
    expect(classBits(0o750, 'group')).toBe(5)
    expect(classBits(0o750, 'others')).toBe(0)
    expect(missingBits(0o751, 'others', 5)).toBe(4)
    expect(withGrant(0o600, 'others', 4)).toBe(0o604)
    expect(grantFor('others', 5)).toBe('o+rx')
    expect(grantFor('group', 1)).toBe('g+x')
    expect(grantFor('owner', 4)).toBe('u+r')
  })

  it('prints modes as ls does', () => {
    expect(modeString(0o750)).toBe('drwxr-x---')
    expect(modeString(0o644, '-')).toBe('-rw-r--r--')
    expect(modeString(0o2755)).toBe('drwxr-sr-x')
    expect(modeString(0o1777)).toBe('drwxrwxrwt')
    expect(modeString(0o1770)).toBe('drwxrwx--T')
    expect(octal(0o750)).toBe('0750')
  })
})
