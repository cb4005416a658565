import { describe, expect, it } from 'vitest'
import {
  mangledLineFindings,
  openLambdaMangling,
} from '../../../src-main/engine/workers/mangled-lines'
import { parseAccessLog } from '../../../src-main/engine/workers/mirror-access-log'
import {
  describeOlBuild,
  installerArgv,
  type OlBuild,
} from '../../../src-main/engine/workers/ol-build'
import { sandboxPipConf } from '../../../src-main/engine/workers/sandbox-pip-conf'

const MIRROR = 'http://10.0.0.5:8080/pypi'
const main: OlBuild = { kind: 'ignores-pip-mirror', argvText: null, ol: '/usr/local/bin/ol' }
const pr261: OlBuild = { kind: 'passes-pip-mirror', argvText: null, ol: '/usr/local/bin/ol' }

describe("the sandboxes' pip.conf", () => {
  it('is written with index-url and trusted-host for a plain-HTTP mirror', () => {
    expect(sandboxPipConf(null, MIRROR)).toBe(
      [
        "# index-url and trusted-host set by Pip Mirror Wizard: this worker's OpenLambda does not pass",
        "# config.json's pip_mirror to pip, so its sandboxes' pip reads the mirror from here.",
        '[global]',
        'index-url = http://10.0.0.5:8080/pypi/simple/',
        'trusted-host = 10.0.0.5:8080',
        '',
      ].join('\n'),
    )
    expect(sandboxPipConf(null, 'https://mirror.example/pypi')).not.toMatch(/^trusted-host/m)
  })

  it('keeps every other setting and drops every other index, continuation lines included', () => {
    const current = [
      '[global]',
      'timeout = 60',
      'index-url = https://pypi.org/simple',
      'extra_index_url =',
      '    https://other.example/simple',
      '    https://third.example/simple',
      '[install]',
      'find-links = /opt/wheels',
      'no-cache-dir = true',
      '',
    ].join('\n')
    const written = sandboxPipConf(current, MIRROR)
    expect(written.split('\n').slice(2)).toEqual([
      '[global]',
      'index-url = http://10.0.0.5:8080/pypi/simple/',
      'trusted-host = 10.0.0.5:8080',
      'timeout = 60',
      '[install]',
      'no-cache-dir = true',
      '',
    ])
    // Writing it again changes nothing: the plan then has no diff.
    expect(sandboxPipConf(written, MIRROR)).toBe(written)
  })

  it('adds [global] before sections that lack it', () => {
    const written = sandboxPipConf('[install]\nprogress-bar = off\n', MIRROR)
    expect(written.split('\n').slice(2)).toEqual([
      '[global]',
      'index-url = http://10.0.0.5:8080/pypi/simple/',
      'trusted-host = 10.0.0.5:8080',
      '',
      '[install]',
      'progress-bar = off',
      '',
    ])
  })
})

describe("each build's installer command", () => {
  it("is main's, without an index, where pip_mirror is ignored", () => {
    expect(installerArgv(main, 'alpha==1.1', MIRROR)).toEqual([
      'pip3',
      'install',
      '--no-deps',
      'alpha==1.1',
      '--cache-dir',
      '/tmp/.cache',
      '-t',
      '/host/files',
    ])
    expect(describeOlBuild(main)).toBe(
      "OpenLambda ignores pip_mirror (main): the sandboxes' pip.conf points pip at the mirror",
    )
  })

  it("is the seed manual's, with the mirror as index, its host trusted and -vvv", () => {
    expect(installerArgv(pr261, 'alpha==1.1', `${MIRROR}/`).slice(8)).toEqual([
      '--index-url=http://10.0.0.5:8080/pypi/simple/',
      '--trusted-host=10.0.0.5:8080',
      '-vvv',
    ])
  })
})

describe('requirement lines OpenLambda will mangle', () => {
  it.each([
    ['alpha==1.1 \\', /^a continued line/],
    ['    --hash=sha256:abcd', /^a hash line/],
    ['-r other.txt', /pip gets "-rother.txt"/],
    ['-e ./local', /pip gets "-e.\/local"/],
    ['--index-url http://x/simple', /an option line: pip gets "--index-urlhttp:\/\/x\/simple"/],
    [
      'pkg @ https://Files.example/Pkg-1.0.tar.gz',
      /lowercases the URL \(pip gets "pkg@https:\/\/files\.example\/pkg-1\.0\.tar\.gz"\)/,
    ],
  ])('%s', (line, reason) => {
    expect(openLambdaMangling(line)).toMatch(reason)
  })

  it.each([
    'alpha==1.1',
    'Django==4.2  # web',
    'zope.interface==6.0',
    'typing_extensions==4.9.0',
    '# comment',
    '',
  ])('leaves %j alone', (line) => {
    expect(openLambdaMangling(line)).toBeNull()
  })

  it('becomes a finding per line, with the argument pip gets', () => {
    const [finding] = mangledLineFindings(
      'alpha==1.1\n-r base.txt\n',
      '/srv/ol/registry/requirements.txt',
    )
    expect(finding).toMatchObject({
      cause: 'mangled-line',
      severity: 'blocker',
      evidence:
        '/srv/ol/registry/requirements.txt:2: -r base.txt → pip install --no-deps "-rbase.txt" (an include or editable line: pip gets "-rbase.txt", a file or path that does not exist in the sandbox)',
      action: { kind: 'compile-requirements' },
    })
  })
})

describe("the mirror's access log", () => {
  it("reads nginx's combined format", () => {
    const text =
      '10.200.1.2 - - [01/Dec/2026:17:00:00 +0000] "GET /pypi/simple/alpha/ HTTP/1.1" 200 512 "-" "pip/23.0.1 {\\x22python\\x22:\\x223.11.2\\x22}"\n' +
      'garbage\n' +
      '10.200.1.3 - - [01/Dec/2026:17:00:01 +0000] "HEAD /pypi/packages/x.whl HTTP/1.1" 404 0 "-" "pip-mirror-wizard"\n'
    expect(parseAccessLog(text).map(({ line: _line, ...rest }) => rest)).toEqual([
      {
        client: '10.200.1.2',
        method: 'GET',
        path: '/pypi/simple/alpha/',
        status: 200,
        bytes: 512,
        userAgent: 'pip/23.0.1 {\\x22python\\x22:\\x223.11.2\\x22}',
      },
      {
        client: '10.200.1.3',
        method: 'HEAD',
        path: '/pypi/packages/x.whl',
        status: 404,
        bytes: 0,
        userAgent: 'pip-mirror-wizard',
      },
    ])
  })
})
