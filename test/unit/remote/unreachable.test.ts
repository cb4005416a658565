import { describe, expect, it } from 'vitest'
import { explainCommandFailure } from '../../../src-main/engine/remote/command-failure'
import { describeUnreachable, findUnreachable } from '../../../src-main/engine/remote/unreachable'
import { explainSyncFailure } from '../../../src-main/engine/sync/sync-failure'
import { syncFailureInput } from './sync-failure-input'

// Each output below was printed on a bare Debian 13 host of the test bed whose proxy stopped.
const APT = `Ign:1 http://deb.debian.org/debian trixie/main amd64 python3-pip-whl all 25.1.1+dfsg-1
Err:1 http://deb.debian.org/debian trixie/main amd64 python3-pip-whl all 25.1.1+dfsg-1
  Could not connect to 10.213.0.1:3128 (10.213.0.1). - connect (111: Connection refused)
  Unable to connect to 10.213.0.1:3128:
E: Failed to fetch http://deb.debian.org/debian/pool/main/p/python-pip/python3-pip-whl_25.1.1%2bdfsg-1_all.deb  Unable to connect to 10.213.0.1:3128:
E: Failed to fetch http://deb.debian.org/debian/pool/main/p/python3-defaults/python3-venv_3.13.5-1_amd64.deb  Unable to connect to 10.213.0.1:3128:
E: Unable to fetch some archives, maybe run apt-get update or try with --fix-missing?`

const PIP = `WARNING: Retrying (Retry(total=0, connect=None, read=None, redirect=None, status=None)) after connection broken by 'ProxyError('Cannot connect to proxy.', NewConnectionError('<pip._vendor.urllib3.connection.HTTPSConnection object at 0x7f411dbe5dd0>: Failed to establish a new connection: [Errno 111] Connection refused'))': /simple/bandersnatch/
ERROR: Could not find a version that satisfies the requirement bandersnatch==8.2.0 (from versions: none)
ERROR: No matching distribution found for bandersnatch==8.2.0`

const UV = `error: Failed to fetch: http://127.0.0.1:45555/simple/flask/
  cause: error sending request for url (http://127.0.0.1:45555/simple/flask/)
  cause: client error (Connect)
  cause: tcp connect error
  cause: Connection refused (os error 111)`

const BANDERSNATCH = `  File "/opt/pip-mirror-wizard/venv/lib/python3.13/site-packages/aiohttp/connector.py", line 1345, in _wrap_create_connection
    raise client_error(req.connection_key, exc) from exc
aiohttp.client_exceptions.ClientProxyConnectionError: Cannot connect to host 10.213.0.1:3128 ssl:default [Connect call failed ('10.213.0.1', 3128)]
=== sync ended 2026-12-01T16:34:43Z exit 1 ===`

describe('findUnreachable', () => {
  it('apt-get: the archive, and the proxy it could not connect to', () => {
    expect(findUnreachable(APT)).toEqual({
      target: 'deb.debian.org',
      proxy: '10.213.0.1:3128',
      reason: 'connection refused',
    })
  })

  it('pip: the index it was sent to through the proxy of its command line', () => {
    const found = findUnreachable(PIP, { proxy: 'http://10.213.0.1:3128' })
    expect(found).toEqual({
      target: 'pypi.org',
      proxy: 'http://10.213.0.1:3128',
      reason: 'connection refused',
    })
    expect(describeUnreachable(found!)).toBe(
      'could not reach pypi.org through the proxy 10.213.0.1:3128: connection refused',
    )
  })

  it('uv and bandersnatch: the upstream, and how', () => {
    expect(findUnreachable(UV, { proxy: 'http://10.213.0.1:3128' })).toEqual({
      target: '127.0.0.1:45555',
      proxy: 'http://10.213.0.1:3128',
      reason: 'connection refused',
    })
    expect(findUnreachable(BANDERSNATCH, { upstream: 'http://127.0.0.1:40453' })).toEqual({
      target: '127.0.0.1:40453',
      proxy: '10.213.0.1:3128',
      reason: 'connection refused',
    })
  })

  it('is null for failures that have nothing to do with the network', () => {
    expect(findUnreachable('E: Unable to locate package nginxx')).toBeNull()
    expect(findUnreachable('ERROR: No matching distribution found for nosuch==1.0')).toBeNull()
  })
})

describe('explainCommandFailure', () => {
  it('says what apt-get could not reach, with what to do', () => {
    const failure = explainCommandFailure(
      ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', 'nginx'],
      { stdout: '', stderr: APT },
    )
    expect(failure.cause).toBe(
      'could not reach deb.debian.org through the proxy 10.213.0.1:3128: connection refused',
    )
    expect(failure.hint).toContain('check that the proxy 10.213.0.1:3128 runs')
  })

  it("takes pip's proxy from --proxy, and says a repeated line once", () => {
    const argv = ['python', '-m', 'pip', 'install', '--proxy', 'http://10.213.0.1:3128', 'x']
    expect(explainCommandFailure(argv, { stdout: PIP, stderr: '' }).cause).toBe(
      'could not reach pypi.org through the proxy 10.213.0.1:3128: connection refused',
    )
    const bind = 'nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)'
    const nginx = explainCommandFailure(['nginx'], {
      stdout: '',
      stderr: `${bind}\n${bind}\n${bind}\nnginx: [emerg] still could not bind()`,
    })
    expect(nginx.cause).toBe('another program already listens on 0.0.0.0:80')
    expect(nginx.tail).toBe(`${bind} (3 times)\nnginx: [emerg] still could not bind()`)
  })
})

describe('explainSyncFailure', () => {
  const base = syncFailureInput

  it('names the upstream and the proxy bandersnatch could not reach', () => {
    const failure = explainSyncFailure({ ...base, logTail: BANDERSNATCH })
    expect(failure.message).toMatch(
      /^The sync stopped: bandersnatch could not reach 127.0.0.1:40453 through the proxy 10.213.0.1:3128: connection refused:\n/,
    )
    expect(failure.hint).toContain('10.213.0.1:3128')
  })

  it('says "disk full" with the path it was writing, or the filesystem when the log is silent', () => {
    const written = explainSyncFailure({
      ...base,
      logTail: "OSError: [Errno 28] No space left on device: '/srv/pypi/web/packages/ab/cd/x.whl'",
    })
    expect(written.message).toContain(
      'disk full: no space left on / writing /srv/pypi/web/packages/ab/cd/x.whl',
    )
    // A full disk can leave no room for the log or the exit code either.
    const silent = explainSyncFailure({
      ...base,
      exitCode: null,
      logTail: '',
      disk: { freeBytes: 4096, mount: '/srv/pypi' },
    })
    expect(silent.message).toBe(
      'The sync stopped: disk full: no space left on /srv/pypi (4.0 KB free, mirror /srv/pypi)',
    )
    expect(silent.hint).toMatch(/^free space on \/srv\/pypi, then apply again/)
  })

  it('falls back to the exit code and the log', () => {
    const failure = explainSyncFailure({ ...base, logTail: 'Traceback ...\nKeyError: x' })
    expect(failure.message).toBe('bandersnatch exited with code 1:\nTraceback ...\nKeyError: x')
  })
})
