import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setScheduleAction } from '../../src-main/engine/actions/schedule-actions'
import { applyAction, planAction } from '../../src-main/engine/actions/site-action'
import { syncNowAction } from '../../src-main/engine/actions/sync-now'
import type { RunEvent } from '../../src-main/engine/run'
import { schedulePaths, type ScheduleStatus } from '../../src-main/engine/schedule'
import { parseCronFile } from '../../src-main/engine/schedule/cron-file'
import { loadSiteFile } from '../../src-main/engine/site-file'
import type { Site } from '#shared/site'
import { mirrorLayout } from '../../src-main/engine/steps/mirror-layout'
import { parseSyncHistory } from '../../src-main/engine/sync/sync-history'
import { syncJobFiles } from '../../src-main/engine/sync/sync-wrapper'
import { connectAsSudoer, sudoerSiteFile, SUDOER_ENV } from '../testbed/bed-logins'
import { ensureCliBuilt, jsonLines, runPipMirror } from '../testbed/cli'
import { cronDaemonPid, stopCronStartedByTest } from '../testbed/cron-host'
import { addStandinWheel } from '../testbed/extra-wheel'
import { startMirrorHostBed, type MirrorHostBed } from '../testbed/mirror-host'
import { sh, waitFor } from '../testbed/processes'
import { buildStandinWheels, startPypiStandin, type PypiStandin } from '../testbed/pypi-standin'
import { ensureTestUsers, SUDOER } from '../testbed/users'

/**
 * The scheduled sync on a host without systemd: a cron entry, fired by the real cron daemon (which
 * the product installs and starts when it is missing), running the app's own sync wrapper as the
 * mirror's owner, so the app reattaches to it. The mirror is real: built by `pip-mirror apply`.
 */
let bed: MirrorHostBed
let upstream: PypiStandin
let wheels: string
let sitePath: string
let site: Site
let acceptKey: string[]
let cronBefore: number | null
let cronInstalledBefore: boolean

beforeAll(async () => {
  await ensureTestUsers()
  await ensureCliBuilt()
  cronBefore = await cronDaemonPid()
  cronInstalledBefore = existsSync('/usr/sbin/cron')
  bed = await startMirrorHostBed()
  // An upstream of its own, whose files arrive slowly: a scheduled sync is caught running.
  wheels = await mkdtemp(join(tmpdir(), 'pmw-schedule-wheels-'))
  await buildStandinWheels(wheels)
  upstream = await startPypiStandin({ wheelsDir: wheels, fileDelaySeconds: 4 })
  const created = await bed.newSite({ upstream: upstream.url })
  sitePath = await sudoerSiteFile(bed, created)
  site = await loadSiteFile(sitePath)
  acceptKey = ['--known-hosts', bed.knownHosts, '--accept-host-key', bed.sshd.hostKeyFingerprint]
  const applied = await runPipMirror(
    ['apply', '--site', sitePath, '--yes', ...acceptKey],
    SUDOER_ENV,
  )
  expect(applied.code, `${applied.stdout}\n${applied.stderr}`).toBe(0)
})

afterAll(async () => {
  if (site) await sh('rm', ['-f', schedulePaths(mirrorLayout(site.mirror)).cronFile])
  await stopCronStartedByTest(cronBefore)
  await upstream?.stop()
  await bed?.stop()
  if (wheels) await rm(wheels, { recursive: true, force: true })
})

const layout = () => mirrorLayout(site.mirror)
const paths = () => schedulePaths(layout())
const history = async () =>
  parseSyncHistory(await readFile(syncJobFiles(layout()).history, 'utf8').catch(() => ''))

describe('a scheduled sync with cron (no systemd here)', () => {
  it('plans cron where it is missing and an /etc/cron.d entry run as the mirror owner, then installs them', async () => {
    const host = await connectAsSudoer(bed)
    try {
      const plan = await planAction(
        host,
        setScheduleAction(site, { kind: 'daily', hour: 3, minute: 0 }),
      )
      expect(plan.error).toBeNull()
      const changes = plan.steps.flatMap((s) => s.changes)
      const commands = changes.flatMap((c) => (c.kind === 'command' ? [c.argv.join(' ')] : []))
      if (!cronInstalledBefore)
        expect(commands).toContain(
          'env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends cron',
        )
      if (cronBefore === null) expect(commands).toContain('/usr/sbin/cron')
      const entry = changes.find((c) => c.kind === 'file' && c.path === paths().cronFile)
      expect(entry?.kind === 'file' && entry.diff).toMatch(
        new RegExp(
          `^\\+0 3 \\* \\* \\* ${SUDOER.name} setsid /bin/sh ${paths().wrapperFile} `,
          'm',
        ),
      )
      expect(existsSync(paths().cronFile)).toBe(false)
    } finally {
      host.close()
    }

    const result = await runPipMirror(
      ['schedule', '--site', sitePath, '--daily', '03:00', '--yes', ...acceptKey],
      SUDOER_ENV,
    )
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0)
    expect(result.stdout).toContain('daily at 03:00 (host time)')
    const cronFile = await stat(paths().cronFile)
    expect(cronFile.uid).toBe(0)
    expect(cronFile.mode & 0o777).toBe(0o644)
    const entry = parseCronFile(await readFile(paths().cronFile, 'utf8'))
    expect(entry).toMatchObject({ user: SUDOER.name, expression: '0 3 * * *' })
    expect((await stat(paths().wrapperFile)).uid).toBe(
      Number((await sh('id', ['-u', SUDOER.name])).trim()),
    )
    expect(await cronDaemonPid()).not.toBeNull()
  })

  it(
    'the real cron daemon runs it as the mirror owner; the app reattaches and no second sync starts',
    { timeout: 240_000 },
    async () => {
      // Something new upstream first, so the scheduled sync has a slow file to fetch.
      const wheel = await addStandinWheel(wheels, {
        name: 'alpha',
        version: '1.1',
        tag: 'py3-none-manylinux2014_x86_64',
        requiresDist: ['beta>=1.0'],
      })
      const fileName = wheel.split('/').pop() as string
      const set = await runPipMirror(
        ['schedule', '--site', sitePath, '--every', '1m', '--yes', ...acceptKey],
        SUDOER_ENV,
      )
      expect(set.code, `${set.stdout}\n${set.stderr}`).toBe(0)
      expect(set.stdout).toMatch(/^\s+-0 3 \* \* \* /m)
      expect(set.stdout).toMatch(/^\s+\+\* \* \* \* \* /m)

      const host = await connectAsSudoer(bed)
      try {
        // cron looks at /etc/cron.d at the top of every minute.
        await waitFor(
          () => existsSync(layout().syncPid),
          'cron to start the scheduled sync',
          130_000,
        )
        const pid = Number((await readFile(layout().syncPid, 'utf8')).trim())
        expect((await sh('stat', ['-c', '%U', `/proc/${pid}`])).trim()).toBe(SUDOER.name)

        const events: RunEvent[] = []
        const reattached = applyAction(host, syncNowAction(site), { emit: (e) => events.push(e) })
        // The entry's own command, run by hand as that user while the sync runs: it only notes it.
        const command = parseCronFile(await readFile(paths().cronFile, 'utf8'))?.command as string
        await sh('su', ['-s', '/bin/sh', SUDOER.name, '-c', command])
        await waitFor(
          async () => (await history()).some((r) => r.outcome === 'skipped'),
          'the second sync to give way',
        )
        expect((await readFile(layout().syncPid, 'utf8')).trim()).toBe(String(pid))

        const outcome = await reattached
        expect(outcome.summary.status, outcome.summary.error).not.toBe('failed')
        const plan = events.find((e) => e.type === 'plan' && e.step === 'sync')
        expect(plan?.type === 'plan' && plan.plan.changes[0]?.summary).toBe(
          `Reattach to the sync already running (pid ${pid})`,
        )
        const logs = events.flatMap((e) => (e.type === 'log' ? [e.line] : []))
        expect(logs).toContain(`Reattaching to the sync running as pid ${pid}`)
        expect(logs.some((l) => /Sync started/.test(l))).toBe(false)
      } finally {
        host.close()
      }

      const runs = await history()
      const status = Number((await readFile(`${layout().dir}/status`, 'utf8')).trim())
      expect(runs).toContainEqual(
        expect.objectContaining({
          trigger: 'schedule',
          outcome: 'ok',
          exitCode: 0,
          serial: status,
        }),
      )
      expect(runs).toContainEqual(
        expect.objectContaining({ trigger: 'schedule', outcome: 'skipped' }),
      )
      const files = await sh('find', [`${layout().web}/packages`, '-name', fileName])
      expect(files.trim()).not.toBe('')
      expect((await sh('stat', ['-c', '%U', files.trim()])).trim()).toBe(SUDOER.name)
    },
  )

  it('--show reads back the schedule and how the last syncs went', async () => {
    const result = await runPipMirror(
      ['schedule', '--site', sitePath, '--show', '--json', ...acceptKey],
      SUDOER_ENV,
    )
    expect(result.code, result.stderr).toBe(0)
    const status = JSON.parse(result.stdout) as ScheduleStatus
    expect(status).toMatchObject({
      mechanism: 'cron',
      cron: { running: true },
      installed: {
        mechanism: 'cron',
        schedule: { kind: 'every-minutes', minutes: 1 },
        user: SUDOER.name,
        current: true,
        firing: true,
        files: [paths().cronFile, paths().wrapperFile],
      },
    })
    expect(status.lastRuns.some((r) => r.trigger === 'schedule' && r.outcome === 'ok')).toBe(true)
    expect(status.lastRuns.some((r) => r.trigger === 'app' && r.outcome === 'ok')).toBe(true)
    const human = await runPipMirror(
      ['schedule', '--site', sitePath, '--show', ...acceptKey],
      SUDOER_ENV,
    )
    expect(human.stdout).toMatch(/schedule: {2}every minute \(host time\), as pmw-sudoer, by cron/)
  })

  it('--remove takes the schedule off the host and keeps the sync history', async () => {
    const result = await runPipMirror(
      ['schedule', '--site', sitePath, '--remove', '--yes', '--json', ...acceptKey],
      SUDOER_ENV,
    )
    expect(result.code, result.stderr).toBe(0)
    expect(existsSync(paths().cronFile)).toBe(false)
    expect(existsSync(paths().wrapperFile)).toBe(false)
    expect((await history()).length).toBeGreaterThan(0)
    const again = await runPipMirror(
      ['schedule', '--site', sitePath, '--remove', '--yes', '--json', ...acceptKey],
      SUDOER_ENV,
    )
    const summary = jsonLines(again.stdout).find((e) => e.type === 'summary')
    expect(summary).toMatchObject({ status: 'ok' })
    const shown = await runPipMirror(
      ['schedule', '--site', sitePath, '--show', '--json', ...acceptKey],
      SUDOER_ENV,
    )
    expect(JSON.parse(shown.stdout)).toMatchObject({ installed: null })
  })

  it('refuses a schedule cron cannot keep evenly, before touching the host', async () => {
    const result = await runPipMirror(
      ['schedule', '--site', sitePath, '--every', '5h', '--yes', ...acceptKey],
      SUDOER_ENV,
    )
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/must divide the day/)
  })
})
