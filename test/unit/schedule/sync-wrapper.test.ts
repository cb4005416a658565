import { spawn, spawnSync } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parseSite } from '#shared/site'
import { mirrorLayout } from '../../../src-main/engine/steps/mirror-layout'
import { parseSyncHistory } from '../../../src-main/engine/sync/sync-history'
import {
  SYNC_WRAPPER,
  syncJobFiles,
  syncWrapperArgs,
  type SyncTrigger,
} from '../../../src-main/engine/sync/sync-wrapper'

/**
 * The wrapper itself, run by the machine's sh with a stand-in for bandersnatch: what a sync
 * leaves behind (pid, log, exit, history), and that a second sync never runs beside a first.
 */
const root = mkdtempSync(join(tmpdir(), 'pmw-wrapper-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

let count = 0
function newMirror() {
  const dir = join(root, `m${++count}`)
  const layout = mirrorLayout(
    parseSite({
      mirror: {
        ssh: { host: 'h', user: 'u' },
        directory: dir,
        requirements: ['alpha'],
        serve: { listen: '127.0.0.1:8080' },
      },
    }).mirror,
  )
  mkdirSync(layout.state, { recursive: true })
  // Stands in for bandersnatch: says what it was given, waits, sets the serial, exits as told.
  const fake = join(dir, 'fake-bandersnatch')
  writeFileSync(
    fake,
    `#!/bin/sh\necho "fake bandersnatch $*"\necho "status before: $(cat "${dir}/status" 2>/dev/null || echo none)"\nsleep "$(cat "${dir}/sleep" 2>/dev/null || echo 0)"\necho 1234 > "${dir}/status"\nexit "$(cat "${dir}/code" 2>/dev/null || echo 0)"\n`,
  )
  chmodSync(fake, 0o755)
  const args = (trigger: SyncTrigger) => [fake, ...syncWrapperArgs(layout, trigger).slice(1)]
  const set = (name: 'sleep' | 'code', value: string) => writeFileSync(join(dir, name), value)
  const history = () => {
    const file = syncJobFiles(layout).history
    return existsSync(file) ? parseSyncHistory(readFileSync(file, 'utf8')) : []
  }
  return { dir, layout, args, set, history }
}

function runWrapper(args: string[]): number | null {
  return spawnSync('sh', ['-c', SYNC_WRAPPER, 'sh', ...args], { timeout: 10_000 }).status
}

/** Started as its own process group, as nohup+setsid, systemd and the cron entry do. */
function startWrapper(args: string[]) {
  const child = spawn('sh', ['-c', SYNC_WRAPPER, 'sh', ...args], {
    detached: true,
    stdio: 'ignore',
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return { pid: child.pid as number, exited }
}

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('the sync wrapper', () => {
  it('records a finished sync: log, exit code, history line; the pid file is gone', () => {
    const m = newMirror()
    writeFileSync(m.layout.syncLog, 'the previous sync\n')
    expect(runWrapper(m.args('app'))).toBe(0)
    const log = readFileSync(m.layout.syncLog, 'utf8')
    expect(log).toMatch(
      /^=== sync started \S+Z ===\n=== the config or the requirements changed: checking every project ===\nfake bandersnatch -c \S+\/bandersnatch\.conf mirror\nstatus before: none\n=== sync ended \S+Z exit 0 ===\n$/,
    )
    expect(readFileSync(`${m.layout.syncLog}.1`, 'utf8')).toBe('the previous sync\n')
    expect(readFileSync(m.layout.syncExit, 'utf8').trim()).toBe('0')
    expect(existsSync(m.layout.syncPid)).toBe(false)
    expect(m.history()).toEqual([
      expect.objectContaining({ outcome: 'ok', exitCode: 0, serial: 1234, trigger: 'app' }),
    ])
  })

  it('records a failed sync with its exit code, and who started it', () => {
    const m = newMirror()
    m.set('code', '3')
    runWrapper(m.args('schedule'))
    expect(readFileSync(m.layout.syncExit, 'utf8').trim()).toBe('3')
    expect(m.history()).toEqual([
      expect.objectContaining({ outcome: 'failed', exitCode: 3, trigger: 'schedule' }),
    ])
  })

  it('never starts a second sync beside a running one: it notes it was skipped', async () => {
    const m = newMirror()
    m.set('sleep', '2')
    const first = startWrapper(m.args('app'))
    await until(() => existsSync(m.layout.syncPid))
    const pid = readFileSync(m.layout.syncPid, 'utf8').trim()
    expect(pid).toBe(String(first.pid))
    expect(runWrapper(m.args('schedule'))).toBe(0)
    expect(readFileSync(m.layout.syncPid, 'utf8').trim()).toBe(pid)
    expect(readFileSync(m.layout.syncLog, 'utf8').match(/sync started/g)).toHaveLength(1)
    expect(m.history()).toEqual([
      expect.objectContaining({ outcome: 'skipped', trigger: 'schedule' }),
    ])
    await first.exited
    expect(m.history().map((r) => r.outcome)).toEqual(['skipped', 'ok'])
  })

  it('opens up what bandersnatch left closed to the web server (web/last-modified is 0600)', () => {
    const m = newMirror()
    const web = join(m.dir, 'web')
    mkdirSync(join(web, 'simple', 'closed'), { recursive: true, mode: 0o700 })
    writeFileSync(join(web, 'last-modified'), '20261124T07:00:00\n', { mode: 0o600 })
    writeFileSync(join(web, 'simple', 'index.html'), '<html/>', { mode: 0o640 })
    chmodSync(join(web, 'simple', 'closed'), 0o700)
    expect(runWrapper(m.args('app'))).toBe(0)
    expect(statSync(join(web, 'last-modified')).mode & 0o777).toBe(0o604)
    expect(statSync(join(web, 'simple', 'index.html')).mode & 0o777).toBe(0o644)
    expect(statSync(join(web, 'simple', 'closed')).mode & 0o777).toBe(0o705)
  })

  it('a cancelled sync (TERM to its group) leaves no exit file: it did not finish', async () => {
    const m = newMirror()
    m.set('sleep', '30')
    const run = startWrapper(m.args('app'))
    await until(() => existsSync(m.layout.syncPid))
    process.kill(-run.pid, 'SIGTERM')
    await run.exited
    expect(existsSync(m.layout.syncExit)).toBe(false)
    expect(existsSync(m.layout.syncPid)).toBe(false)
    expect(m.history()).toEqual([expect.objectContaining({ outcome: 'cancelled', exitCode: null })])
    // The lock went with it: the next sync runs.
    m.set('sleep', '0')
    expect(runWrapper(m.args('app'))).toBe(0)
    expect(m.history().map((r) => r.outcome)).toEqual(['cancelled', 'ok'])
  })

  it('makes bandersnatch check every project when the config or requirements changed', () => {
    const m = newMirror()
    const requirements = m.layout.requirementsTxt
    mkdirSync(m.layout.requirementsDir, { recursive: true })
    writeFileSync(requirements, 'alpha==1.1\n')
    writeFileSync(m.layout.conf, '[mirror]\n')
    runWrapper(m.args('app'))
    // Unchanged inputs: bandersnatch goes on from its serial (its changelog).
    runWrapper(m.args('app'))
    expect(readFileSync(m.layout.syncLog, 'utf8')).toContain('status before: 1234')
    expect(readFileSync(m.layout.syncLog, 'utf8')).not.toContain('checking every project')
    // New requirements: a project they allow may not have changed upstream; the serial and an
    // unfinished todo list go, so every project is checked.
    writeFileSync(requirements, 'alpha==1.1\noutsider==1.0\n')
    writeFileSync(`${m.dir}/todo`, '1234\nalpha 3\n')
    runWrapper(m.args('schedule'))
    const log = readFileSync(m.layout.syncLog, 'utf8')
    expect(log).toContain('checking every project')
    expect(log).toContain('status before: none')
    expect(existsSync(`${m.dir}/todo`)).toBe(false)
    // A failed sync does not count as checked: the next one checks every project again.
    writeFileSync(requirements, 'alpha==1.1\n')
    m.set('code', '1')
    runWrapper(m.args('app'))
    m.set('code', '0')
    runWrapper(m.args('app'))
    expect(readFileSync(m.layout.syncLog, 'utf8')).toContain('status before: none')
    runWrapper(m.args('app'))
    expect(readFileSync(m.layout.syncLog, 'utf8')).toContain('status before: 1234')
  })

  it('keeps the history file to its last lines', () => {
    const m = newMirror()
    const file = syncJobFiles(m.layout).history
    const old = 'start=2024-01-01T00:00:00Z end=2024-01-01T00:00:01Z exit=0 serial=1 by=app\n'
    writeFileSync(file, old.repeat(1200))
    runWrapper(m.args('app'))
    const lines = readFileSync(file, 'utf8').trim().split('\n')
    expect(lines).toHaveLength(1000)
    expect(lines.at(-1)).toMatch(/serial=1234 by=app$/)
  })
})
