import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { platformBlocklist } from '../../../src-main/engine/config/bandersnatch-blocklist'
import {
  renderBandersnatchConf,
  type BandersnatchConfInput,
} from '../../../src-main/engine/config/bandersnatch-conf'
import { ConfigInputError } from '../../../src-main/engine/config/config-input-error'
import { expectGolden } from './golden'

const typical: BandersnatchConfInput = {
  directory: '/srv/pypi',
  upstream: 'https://pypi.org',
  allowNonHttps: false,
  proxy: null,
  workers: 3,
  requirementsDir: '/srv/pypi/requirements',
  requirementsFileName: 'requirements.txt',
  platforms: ['linux'],
  pythonVersions: ['3.11'],
}

const behindProxy: BandersnatchConfInput = {
  ...typical,
  directory: '/data/mirror/',
  upstream: 'http://pypi-upstream.internal:8081/',
  allowNonHttps: true,
  proxy: 'http://proxy.internal:3128',
  workers: 10,
  platforms: ['linux', 'macos'],
  pythonVersions: ['3.10', '3.12'],
  timeoutSeconds: 30,
  globalTimeoutSeconds: 36_000,
}

interface ReadBack {
  mirror: Record<string, string>
  enabled: string[]
  requirementsPath: string
  requirements: string[]
  platforms: string[]
}

/** Reads a config the way bandersnatch does: configparser, `=` only, keys case-sensitive. */
function readWithConfigparser(text: string): ReadBack {
  const script = `
import configparser, json, sys
config = configparser.ConfigParser(delimiters="=")
config.optionxform = lambda option: option
config.read_string(sys.stdin.read())
print(json.dumps({
    "mirror": dict(config["mirror"]),
    "enabled": [p for p in config["plugins"]["enabled"].split("\\n") if p],
    "requirementsPath": config["allowlist"]["requirements_path"],
    "requirements": [r for r in config["allowlist"]["requirements"].split("\\n") if r],
    "platforms": config["blocklist"]["platforms"].split(),
}))
`
  const result = spawnSync('/usr/bin/python3', ['-c', script], { input: text, encoding: 'utf8' })
  expect(result.status, result.stderr).toBe(0)
  return JSON.parse(result.stdout) as ReadBack
}

describe('renderBandersnatchConf', () => {
  it('renders the golden config for a typical site', () => {
    expectGolden('bandersnatch.conf', renderBandersnatchConf(typical))
  })

  it('renders the golden config for an http upstream behind a proxy', () => {
    expectGolden('bandersnatch-proxy.conf', renderBandersnatchConf(behindProxy))
  })

  it('reads back through Python configparser as bandersnatch reads it', () => {
    const read = readWithConfigparser(renderBandersnatchConf(typical))
    expect(read.enabled).toEqual([
      'project_requirements',
      'project_requirements_pinned',
      'exclude_platform',
    ])
    expect(read.requirementsPath).toBe('/srv/pypi/requirements')
    expect(read.requirements).toEqual(['requirements.txt'])
    expect(read.platforms).toEqual(platformBlocklist(['linux'], ['3.11']))
    expect(read.mirror).toEqual({
      directory: '/srv/pypi',
      master: 'https://pypi.org',
      workers: '3',
      timeout: '10',
      'global-timeout': '18000',
      'stop-on-error': 'false',
      json: 'true',
      'release-files': 'true',
      'hash-index': 'false',
      'simple-format': 'ALL',
      'allow-non-https': 'false',
      'storage-backend': 'filesystem',
    })
  })

  it('writes the proxy only when there is one, normalising trailing slashes', () => {
    const read = readWithConfigparser(renderBandersnatchConf(behindProxy))
    expect(read.mirror.proxy).toBe('http://proxy.internal:3128')
    expect(read.mirror.master).toBe('http://pypi-upstream.internal:8081')
    expect(read.mirror.directory).toBe('/data/mirror')
    expect(read.mirror['allow-non-https']).toBe('true')
    expect(readWithConfigparser(renderBandersnatchConf(typical)).mirror).not.toHaveProperty('proxy')
  })

  it('escapes % so configparser interpolation gives the value back', () => {
    const proxy = 'http://mirror:p%40ss@proxy.internal:3128'
    const read = readWithConfigparser(renderBandersnatchConf({ ...typical, proxy }))
    expect(read.mirror.proxy).toBe(proxy)
  })

  it('cannot render a config without the requirements filter', () => {
    expect(() => renderBandersnatchConf({ ...typical, requirementsFileName: '' })).toThrow(
      /all of PyPI/,
    )
    expect(() => renderBandersnatchConf({ ...typical, requirementsFileName: '  ' })).toThrow(
      /all of PyPI/,
    )
    expect(() => renderBandersnatchConf({ ...typical, requirementsDir: '' })).toThrow(/all of PyPI/)
  })

  const hostile: [string, Partial<BandersnatchConfInput>][] = [
    ['a directory with a new section', { directory: '/srv/pypi\n[mirror]\ndirectory = /' }],
    ['a relative directory', { directory: 'srv/pypi' }],
    ['a directory with ..', { directory: '/srv/../etc' }],
    [
      'an upstream with a second key',
      { upstream: 'https://pypi.org\nmaster = https://evil.example' },
    ],
    ['an upstream with a carriage return', { upstream: 'https://pypi.org\rstop-on-error = true' }],
    ['an upstream that is not http', { upstream: 'ftp://pypi.org' }],
    ['plain http without allowNonHttps', { upstream: 'http://pypi.org' }],
    ['an upstream with a query', { upstream: 'https://pypi.org/?x=1' }],
    ['a proxy with a new line', { proxy: 'http://proxy:3128\n[plugins]' }],
    ['a socks proxy', { proxy: 'socks5://proxy:1080' }],
    ['a requirements file with a comment sign', { requirementsFileName: 'req#.txt' }],
    ['a requirements glob', { requirementsFileName: '*.txt' }],
    ['a requirements file in another directory', { requirementsFileName: '../etc/passwd' }],
    ['a requirements file with a new key', { requirementsFileName: 'r.txt\nexclude = x' }],
    ['a requirements directory with spaces', { requirementsDir: '/srv/my requirements' }],
    ['no workers', { workers: 0 }],
    ['more than 10 workers', { workers: 11 }],
    ['a fractional worker count', { workers: 2.5 }],
    ['no platform kept', { platforms: [] }],
    ['an unknown platform', { platforms: ['solaris' as 'linux'] }],
    ['no Python version', { pythonVersions: [] }],
    ['Python 2', { pythonVersions: ['2.7'] }],
    ['a Python version with a new line', { pythonVersions: ['3.11\n[x]'] }],
    ['a negative timeout', { timeoutSeconds: -1 }],
    ['an infinite global timeout', { globalTimeoutSeconds: Infinity }],
  ]

  it.each(hostile)('refuses %s with a ConfigInputError', (_name, change) => {
    expect(() => renderBandersnatchConf({ ...typical, ...change })).toThrow(ConfigInputError)
  })

  it('names the field in the error', () => {
    expect(() => renderBandersnatchConf({ ...typical, upstream: 'http://pypi.org' })).toThrow(
      /^upstream: http:\/\/pypi.org is plain http/,
    )
  })
})

describe('platformBlocklist', () => {
  it('excludes the platforms not kept, freebsd, Python 2 and newer Python 3 minors', () => {
    expect(platformBlocklist(['linux'], ['3.11'])).toEqual([
      'windows',
      'macos',
      'freebsd',
      'py2.4',
      'py2.5',
      'py2.6',
      'py2.7',
      'py3.12',
      'py3.13',
      'py3.14',
    ])
  })

  it('keeps every platform asked for', () => {
    expect(platformBlocklist(['windows', 'linux', 'macos'], ['3.14'])).toEqual([
      'freebsd',
      'py2.4',
      'py2.5',
      'py2.6',
      'py2.7',
    ])
  })

  it('never names py2 or py3 (they would drop py2.py3 and py3-none-any wheels)', () => {
    const list = platformBlocklist(['linux'], ['3.8'])
    expect(list).not.toContain('py2')
    expect(list).not.toContain('py3')
  })

  it('keeps older Python 3 minors, whose abi3 wheels newer Pythons install', () => {
    const list = platformBlocklist(['linux'], ['3.10', '3.12'])
    for (let minor = 0; minor <= 12; minor++) expect(list).not.toContain(`py3.${minor}`)
    expect(list).toContain('py3.13')
  })
})
