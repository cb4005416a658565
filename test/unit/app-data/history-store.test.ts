import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HistoryStore } from '../../../src-main/app-data/history-store'
import { REDACTED } from '../../../src-main/app-data/redact'
import type { RunEvent } from '../../../src-main/engine/run'

const SECRET = 'Sudo-pass 1!-x7'

/** The events of a small apply, as runSteps emits them, with a secret where a leak would put it. */
function applyEvents(runId = 'r1'): RunEvent[] {
  return [
    {
      type: 'run-started',
      runId,
      mode: 'apply',
      host: 'ops@10.0.0.5:22',
      steps: [{ id: 'sync', title: 'Mirror the packages' }],
    },
    { type: 'step-started', step: 'sync', title: 'Mirror the packages' },
    {
      type: 'plan',
      step: 'sync',
      plan: {
        changes: [
          {
            kind: 'command',
            summary: 'Run bandersnatch',
            argv: ['bandersnatch', '-c', '/srv/pypi/bandersnatch.conf', 'mirror'],
            sudo: true,
          },
          {
            kind: 'file',
            summary: 'Write config',
            path: '/srv/pypi/x',
            content: `password = ${SECRET}\n`,
            replaces: null,
            mode: 0o644,
            owner: 'root',
            sudo: true,
            backup: true,
            diff: `+password = ${SECRET}\n`,
          },
        ],
        notes: ['3 projects'],
      },
    },
    {
      type: 'log',
      step: 'sync',
      stream: 'command',
      line: '(as root) $ bandersnatch -c /srv/pypi/bandersnatch.conf mirror',
    },
    { type: 'log', step: 'sync', stream: 'stdout', line: 'Storing index page(s): alpha' },
    {
      type: 'log',
      step: 'sync',
      stream: 'stderr',
      line: `env: PIP_MIRROR_SUDO_PASSWORD=${SECRET}`,
    },
    { type: 'progress', step: 'sync', done: 1, total: 3 },
    {
      type: 'finding',
      step: 'sync',
      finding: { severity: 'warning', title: `odd ${SECRET}`, evidence: 'e' },
    },
    { type: 'step-done', step: 'sync', status: 'changed', changes: 2 },
    { type: 'run-done', runId, status: 'changed' },
  ]
}

let base: string
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'pmw-history-'))
})
afterEach(() => rm(base, { recursive: true, force: true }))

async function recordRun(
  store: HistoryStore,
  context: { face: 'wizard' | 'dashboard' | 'cli'; action: string; host: string },
  events = applyEvents(),
) {
  const recording = store.record({ ...context, secrets: [SECRET] })
  for (const event of events) recording.emit(event)
  return recording.finish()
}

describe('history', () => {
  it('records steps, changes, every command and log line, with secrets removed', async () => {
    const store = new HistoryStore(base)
    const run = await recordRun(store, { face: 'dashboard', action: 'sync-now', host: 'x' })
    expect(run).toMatchObject({
      face: 'dashboard',
      action: 'sync-now',
      host: 'ops@10.0.0.5:22',
      status: 'changed',
      steps: [{ id: 'sync', mode: 'apply', status: 'changed', notes: ['3 projects'] }],
    })
    expect(run.steps[0]?.changes[0]).toEqual({
      summary: 'Run bandersnatch',
      detail: '(as root) $ bandersnatch -c /srv/pypi/bandersnatch.conf mirror',
    })
    expect(run.commands.map((c) => c.line)).toEqual([
      '(as root) $ bandersnatch -c /srv/pypi/bandersnatch.conf mirror',
    ])
    expect(run.log).toHaveLength(3)
    expect(run.endedAt).not.toBeNull()
    const files = await readdir(join(base, 'history'))
    expect(files).toHaveLength(1)
    const text = await readFile(join(base, 'history', files[0] as string), 'utf8')
    expect(text).not.toContain(SECRET)
    expect(text).toContain(REDACTED)
    expect((await stat(join(base, 'history', files[0] as string))).mode & 0o777).toBe(0o600)
    expect(await store.get(run.id)).toEqual(run)
  })

  it("adds the secrets the app knows to every run's own", async () => {
    const store = new HistoryStore(base, () => ['keychain-secret'])
    const recording = store.record({ face: 'wizard', action: 'apply', host: 'h' })
    recording.line('the keychain-secret leaked', 'stdout')
    const run = await recording.finish({ status: 'failed', error: 'keychain-secret again' })
    expect(JSON.stringify(run)).not.toContain('keychain-secret')
    expect(run).toMatchObject({ status: 'failed', error: REDACTED + ' again' })
  })

  it('keeps a run that was interrupted: written as it goes', async () => {
    const store = new HistoryStore(base)
    const recording = store.record({ face: 'cli', action: 'apply', host: 'h' })
    for (const event of applyEvents().slice(0, 9)) recording.emit(event)
    await new Promise((r) => setTimeout(r, 50))
    const [stored] = await store.search()
    expect(stored).toMatchObject({ id: recording.id, status: 'running', endedAt: null })
    expect(stored?.steps[0]?.status).toBe('changed')
  })

  it('searches by text, host, face and date, newest first', async () => {
    const store = new HistoryStore(base)
    const a = await recordRun(store, { face: 'wizard', action: 'apply', host: 'h' })
    await new Promise((r) => setTimeout(r, 1100))
    const b = await recordRun(
      store,
      { face: 'dashboard', action: 'restart-nginx', host: 'h' },
      applyEvents().map((e) =>
        e.type === 'run-started' ? { ...e, host: 'root@192.168.1.9:2222' } : e,
      ),
    )
    expect((await store.list()).map((r) => r.id)).toEqual([b.id, a.id])
    expect((await store.list({ host: '192.168.1.9' })).map((r) => r.id)).toEqual([b.id])
    expect((await store.list({ text: 'RESTART-NGINX' })).map((r) => r.id)).toEqual([b.id])
    expect((await store.list({ text: 'storing index page' })).length).toBe(2)
    expect((await store.list({ face: 'wizard' })).map((r) => r.id)).toEqual([a.id])
    expect((await store.list({ since: b.startedAt })).map((r) => r.id)).toEqual([b.id])
    expect((await store.list({ until: a.startedAt })).map((r) => r.id)).toEqual([a.id])
    expect(await store.list({ text: SECRET })).toEqual([])
    expect((await store.list({ limit: 1 })).map((r) => r.id)).toEqual([b.id])
  })

  it('exports runs as text or JSON for a ticket', async () => {
    const store = new HistoryStore(base)
    const a = await recordRun(store, { face: 'wizard', action: 'apply', host: 'h' })
    const b = await recordRun(store, { face: 'dashboard', action: 'sync-now', host: 'h' })
    const text = await store.exportText([a.id, b.id], 'text')
    expect(text).toContain(`=== Pip Mirror Wizard run ${a.id}`)
    expect(text).toContain('what:     sync-now (from the dashboard)')
    expect(text).toContain('(as root) $ bandersnatch -c /srv/pypi/bandersnatch.conf mirror')
    expect(text).toContain('(stderr) env: PIP_MIRROR_SUDO_PASSWORD=[REDACTED]')
    expect(text).not.toContain(SECRET)
    const file = join(base, 'ticket.json')
    expect(await store.exportToFile([b.id, 'unknown'], 'json', file)).toBe(1)
    const runs = JSON.parse(await readFile(file, 'utf8')) as { id: string }[]
    expect(runs.map((r) => r.id)).toEqual([b.id])
    expect(await store.remove(a.id)).toBe(true)
    expect(await store.get(a.id)).toBeNull()
  })
})
