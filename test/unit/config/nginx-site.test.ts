import { describe, expect, it } from 'vitest'
import { ConfigInputError } from '../../../src-main/engine/config/config-input-error'
import {
  nginxSiteName,
  renderNginxSite,
  type NginxSiteInput,
} from '../../../src-main/engine/config/nginx-site'
import { expectGolden } from './golden'

const typical: NginxSiteInput = {
  listen: '10.0.0.5:8080',
  location: '/pypi/',
  webRoot: '/srv/pypi/web/',
}

describe('renderNginxSite', () => {
  it('renders the golden site', () => {
    expectGolden('nginx-site.conf', renderNginxSite(typical))
  })

  it('renders the golden site with a server name', () => {
    expectGolden(
      'nginx-site-named.conf',
      renderNginxSite({
        listen: '192.168.1.20:80',
        location: '/',
        webRoot: '/data/mirror/web/',
        serverName: 'pypi.lab.example',
      }),
    )
  })

  it('adds the trailing slash to location and alias when it is missing', () => {
    const site = renderNginxSite({ ...typical, location: '/pypi', webRoot: '/srv/pypi/web' })
    expect(site).toContain('    location /pypi/ {\n')
    expect(site).toContain('        alias /srv/pypi/web/;\n')
  })

  it('names the Accept map after the port, so two mirrors do not share it', () => {
    const first = renderNginxSite(typical)
    const second = renderNginxSite({ ...typical, listen: '10.0.0.5:8081' })
    expect(first).toContain('map $http_accept $pmw_8080_index {')
    expect(first).toContain('index $pmw_8080_index index.html;')
    expect(second).toContain('map $http_accept $pmw_8081_index {')
  })

  const hostile: [string, Partial<NginxSiteInput>][] = [
    ['a listen address with a directive', { listen: '10.0.0.5:8080; include /etc/passwd' }],
    ['a host name instead of an address', { listen: 'mirror.example:8080' }],
    ['no port', { listen: '10.0.0.5' }],
    ['port 0', { listen: '10.0.0.5:0' }],
    ['port 65536', { listen: '10.0.0.5:65536' }],
    ['an address out of range', { listen: '10.0.0.256:8080' }],
    ['a location with a brace', { location: '/pypi/ { }' }],
    ['a location with a semicolon', { location: '/pypi/;' }],
    ['a location with a quote', { location: "/py'pi/" }],
    ['a location with a space', { location: '/py pi/' }],
    ['a location with a new line', { location: '/pypi/\n}' }],
    ['a relative location', { location: 'pypi/' }],
    ['a regex location', { location: '~ .*' }],
    ['a location with ..', { location: '/pypi/../' }],
    ['a web root with a variable', { webRoot: '/srv/$host/web/' }],
    ['a web root with ..', { webRoot: '/srv/pypi/../../etc/' }],
    ['a web root with a semicolon', { webRoot: '/srv/pypi/web/; root /' }],
    ['a relative web root', { webRoot: 'srv/pypi/web/' }],
    ['a web root with a tab', { webRoot: '/srv/pypi\t/web/' }],
    ['a server name with a space', { serverName: 'a b' }],
    ['a server name with a brace', { serverName: 'a}' }],
    ['a server name with a quote', { serverName: '"a"' }],
  ]

  it.each(hostile)('refuses %s with a ConfigInputError', (_name, change) => {
    expect(() => renderNginxSite({ ...typical, ...change })).toThrow(ConfigInputError)
  })
})

describe('nginxSiteName', () => {
  it('names the site file after the port', () => {
    expect(nginxSiteName('10.0.0.5:8080')).toBe('pip-mirror-8080')
  })

  it('refuses what is not an address and a port', () => {
    expect(() => nginxSiteName('../../etc/nginx.conf:80')).toThrow(ConfigInputError)
  })
})
