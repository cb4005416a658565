import { describe, expect, it } from 'vitest'
import { renderNginxSite } from '../../../src-main/engine/config/nginx-site'
import {
  analyzeSiteText,
  fixAliasSlash,
  isListening,
} from '../../../src-main/engine/permissions/nginx-site-text'

const wanted = { location: '/pypi/', webRoot: '/srv/pypi/web' }
const generated = renderNginxSite({
  listen: '10.0.0.5:8080',
  location: '/pypi/',
  webRoot: '/srv/pypi/web/',
})

describe('analyzeSiteText', () => {
  it('finds the location, its alias and the listen address in the generated site', () => {
    const result = analyzeSiteText(generated, wanted)
    expect(result).toMatchObject({
      location: '/pypi/',
      alias: '/srv/pypi/web/',
      slashMismatch: false,
      aliasElsewhere: false,
      listens: ['10.0.0.5:8080'],
    })
    expect(generated.split('\n')[(result.aliasLine ?? 0) - 1]).toContain('alias /srv/pypi/web/;')
  })

  it('flags an alias without the trailing slash (the 404) and one with a location without it', () => {
    const noSlash = generated.replace('alias /srv/pypi/web/;', 'alias /srv/pypi/web;')
    expect(analyzeSiteText(noSlash, wanted)).toMatchObject({
      alias: '/srv/pypi/web',
      slashMismatch: true,
    })
    const loose = 'server {\n  location /pypi {\n    alias /srv/pypi/web/;\n  }\n}\n'
    expect(analyzeSiteText(loose, wanted)).toMatchObject({ location: '/pypi', slashMismatch: true })
  })

  it('reads quoted and one-line aliases, ignores comments and other locations', () => {
    const text = [
      'server {',
      '  # alias /nowhere;',
      '  location /other/ { alias /elsewhere; }',
      '  location /pypi/ { alias "/srv/pypi/web"; autoindex on; }',
      '}',
    ].join('\n')
    expect(analyzeSiteText(text, wanted)).toMatchObject({
      alias: '/srv/pypi/web',
      aliasLine: 4,
      slashMismatch: true,
    })
  })

  it('says when the alias serves another directory', () => {
    const other = generated.replace('alias /srv/pypi/web/;', 'alias /data/old/web/;')
    expect(analyzeSiteText(other, wanted).aliasElsewhere).toBe(true)
  })

  it('says when there is no location for the mirror', () => {
    expect(analyzeSiteText('server { listen 80; }', wanted)).toMatchObject({
      location: null,
      alias: null,
    })
  })
})

describe('fixAliasSlash', () => {
  it('adds the slash to the alias and changes nothing else', () => {
    const broken = generated.replace('alias /srv/pypi/web/;', 'alias /srv/pypi/web;')
    expect(fixAliasSlash(broken, wanted)).toBe(generated)
  })

  it('adds it to a location that lacks it, and keeps quotes', () => {
    const text = 'location /pypi { alias "/srv/pypi/web/"; }\nlocation /pypi/ {}\n'
    expect(fixAliasSlash(text, wanted)).toBe(
      'location /pypi/ { alias "/srv/pypi/web/"; }\nlocation /pypi/ {}\n',
    )
    const quoted = 'location /pypi/ {\n  alias "/srv/pypi/web";\n}\n'
    expect(fixAliasSlash(quoted, wanted)).toBe('location /pypi/ {\n  alias "/srv/pypi/web/";\n}\n')
  })

  it('leaves a correct site exactly as it is', () => {
    expect(fixAliasSlash(generated, wanted)).toBe(generated)
  })
})

describe('isListening', () => {
  const ss = [
    'LISTEN 0      511        127.0.0.1:8080      0.0.0.0:*',
    'LISTEN 0      511          0.0.0.0:80        0.0.0.0:*',
    'LISTEN 0      128             [::]:22           [::]:*',
  ].join('\n')

  it('matches the exact address or a wildcard on the same port', () => {
    expect(isListening(ss, '127.0.0.1:8080')).toBe(true)
    expect(isListening(ss, '10.0.0.5:80')).toBe(true)
    expect(isListening(ss, '10.0.0.5:8080')).toBe(false)
    expect(isListening(ss, '127.0.0.1:9090')).toBe(false)
    expect(isListening('', '127.0.0.1:8080')).toBe(false)
  })
})
