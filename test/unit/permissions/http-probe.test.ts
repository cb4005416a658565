import { describe, expect, it } from 'vitest'
import { parseSite } from '#shared/site'
import { localMirrorUrl, urlOf } from '../../../src-main/engine/permissions/http-probe'

function mirror(listen: string, location = '/pypi/') {
  return parseSite({
    mirror: {
      ssh: { host: 'h', user: 'root' },
      requirements: ['alpha'],
      serve: { listen, location },
    },
  }).mirror
}

describe('HTTP probe helpers', () => {
  it('asks the listen address from the host itself, 0.0.0.0 on loopback', () => {
    expect(localMirrorUrl(mirror('10.0.0.5:8080'))).toBe('http://10.0.0.5:8080/pypi/')
    expect(localMirrorUrl(mirror('0.0.0.0:80', '/mirror/pypi/'))).toBe(
      'http://127.0.0.1:80/mirror/pypi/',
    )
  })

  it('builds URLs of served paths, encoding each segment', () => {
    const base = 'http://127.0.0.1:8080/pypi/'
    expect(urlOf(base, 'simple', true)).toBe('http://127.0.0.1:8080/pypi/simple/')
    expect(urlOf(base, 'packages/ab/cd/h/a b+c.whl', false)).toBe(
      'http://127.0.0.1:8080/pypi/packages/ab/cd/h/a%20b%2Bc.whl',
    )
  })
})
