import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { explainSyncFailure } from '../../../src-main/engine/sync/sync-failure'
import { parseSyncLogEvidence } from '../../../src-main/engine/sync/sync-job'
import { syncFailureInput } from './sync-failure-input'

const SCRIPT = join(
  import.meta.dirname,
  '../../../src-main/engine/sync/scripts/sync-log-evidence.sh',
)

/**
 * bandersnatch logs a project it could not sync with its traceback and goes on; it exits 0 with
 * its todo file left. The cause is then pages above the log's last lines, as in this log (the
 * shape of a bare Debian 13 host's whose proxy stopped mid-sync).
 */
const TRACEBACK = (
  name: string,
) => `2026-12-01 22:55:03,300 ERROR: Error syncing package: ${name}@12 (mirror.py:376)
Traceback (most recent call last):
  File "/usr/lib/python3.13/asyncio/selector_events.py", line 681, in _sock_connect_cb
    raise OSError(err, f'Connect call failed {address}')
ConnectionRefusedError: [Errno 111] Connect call failed ('10.213.0.1', 3128)

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/opt/pip-mirror-wizard/venv/lib/python3.13/site-packages/aiohttp/connector.py", line 1345, in _wrap_create_connection
    raise client_error(req.connection_key, exc) from exc
aiohttp.client_exceptions.ClientProxyConnectionError: Cannot connect to host 10.213.0.1:3128 ssl:default [Connect call failed ('10.213.0.1', 3128)]`

const LOG = [
  '=== sync started 2026-12-01T22:55:00Z ===',
  '2026-12-01 22:55:01,100 INFO: Syncing with http://127.0.0.1:40453. (mirror.py:63)',
  TRACEBACK('flask'),
  TRACEBACK('werkzeug'),
  ...Array.from(
    { length: 20 },
    (_, i) =>
      `2026-12-01 22:55:04,${100 + i} INFO: Downloading: http://127.0.0.1:40453/packages/py3/c/click/click-8.1.${i}-py3-none-any.whl (package.py:210)`,
  ),
  '2026-12-01 22:55:05,000 INFO: 16 packages had changes (mirror.py:1011)',
  '=== sync ended 2026-12-01T22:55:05Z exit 0 ===',
].join('\n')

const dir = mkdtempSync(join(tmpdir(), 'sync-log-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function evidence(log: string | null, lines = 15) {
  const path = join(dir, 'sync.log')
  rmSync(path, { force: true })
  if (log !== null) writeFileSync(path, `${log}\n`)
  return parseSyncLogEvidence(
    execFileSync('sh', [SCRIPT, path, String(lines)], { encoding: 'utf8' }),
  )
}

const finished = { ...syncFailureInput, exitCode: 0, todo: true }

describe('sync-log-evidence.sh', () => {
  it('gives the error lines from anywhere in the log, then its last lines', () => {
    const found = evidence(LOG)
    expect(found.tail.split('\n')).toHaveLength(15)
    expect(found.tail).not.toContain('Cannot connect')
    expect(found.errors.split('\n')).toEqual([
      '2026-12-01 22:55:03,300 ERROR: Error syncing package: flask@12 (mirror.py:376)',
      "ConnectionRefusedError: [Errno 111] Connect call failed ('10.213.0.1', 3128)",
      "aiohttp.client_exceptions.ClientProxyConnectionError: Cannot connect to host 10.213.0.1:3128 ssl:default [Connect call failed ('10.213.0.1', 3128)]",
      '2026-12-01 22:55:03,300 ERROR: Error syncing package: werkzeug@12 (mirror.py:376)',
      "ConnectionRefusedError: [Errno 111] Connect call failed ('10.213.0.1', 3128)",
      "aiohttp.client_exceptions.ClientProxyConnectionError: Cannot connect to host 10.213.0.1:3128 ssl:default [Connect call failed ('10.213.0.1', 3128)]",
    ])
  })

  it('says nothing when there is no log yet', () => {
    expect(evidence(null)).toEqual({ errors: '', tail: '' })
  })
})

describe('explainSyncFailure with the whole log in view', () => {
  it('names the proxy from errors far above the tail, and the projects left undone', () => {
    const { errors, tail } = evidence(LOG)
    const failure = explainSyncFailure({ ...finished, logTail: tail, logErrors: errors })
    expect(failure.message).toMatch(
      /^The sync stopped: bandersnatch could not reach 127\.0\.0\.1:40453 through the proxy 10\.213\.0\.1:3128: connection refused \(2 projects not synced: flask, werkzeug\):\n/,
    )
    expect(failure.hint).toContain('check that the proxy 10.213.0.1:3128 runs')
    // The last lines alone do not say it.
    expect(explainSyncFailure({ ...finished, logTail: tail }).message).toMatch(
      /^bandersnatch left unfinished work/,
    )
  })

  it('names the projects it could not sync when the cause is not the network', () => {
    const log = `2026-12-01 22:55:03,300 ERROR: Error syncing package: flask@12 (mirror.py:376)
Traceback (most recent call last):
KeyError: 'urls'
2026-12-01 22:55:05,000 INFO: 16 packages had changes (mirror.py:1011)`
    const { errors, tail } = evidence(log)
    const failure = explainSyncFailure({ ...finished, logTail: tail, logErrors: errors })
    expect(failure.message).toMatch(
      /^bandersnatch could not sync a project: flask; they stay on its todo list:\n/,
    )
    expect(failure.hint).toContain('Error syncing package')
  })

  it('says the same after an exit 0 with no todo file (bandersnatch writes it only as projects finish)', () => {
    const { errors, tail } = evidence(LOG)
    const untracked = { ...finished, todo: false }
    expect(explainSyncFailure({ ...untracked, logTail: tail, logErrors: errors }).message).toMatch(
      /^The sync stopped: bandersnatch could not reach 127\.0\.0\.1:40453 through the proxy 10\.213\.0\.1:3128: connection refused \(2 projects not synced: flask, werkzeug\):\n/,
    )
    const other =
      evidence(`2026-12-01 22:55:03,300 ERROR: Error syncing package: flask@12 (mirror.py:376)
KeyError: 'urls'`)
    expect(
      explainSyncFailure({ ...untracked, logTail: other.tail, logErrors: other.errors }).message,
    ).toMatch(/^bandersnatch could not sync a project: flask:\n/)
  })
})
