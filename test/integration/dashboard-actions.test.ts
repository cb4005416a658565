import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { addPackagesAction } from '../../src-main/engine/actions/add-packages'
import {
  HostConfirmationError,
  removeMirrorAction,
} from '../../src-main/engine/actions/remove-mirror'
import { restartNginxAction } from '../../src-main/engine/actions/restart-nginx'
import { setScheduleAction } from '../../src-main/engine/actions/schedule-actions'
import { applyAction, planAction } from '../../src-main/engine/actions/site-action'
import { syncNowAction } from '../../src-main/engine/actions/sync-now'
import { updateBandersnatchAction } from '../../src-main/engine/actions/update-bandersnatch'
import { siteHealth } from '../../src-main/engine/health/site-health'
import { mirrorStatus } from '../../src-main/engine/mirror-status'
import { runSteps, type RunEvent } from '../../src-main/engine/run'
import { schedulePaths } from '../../src-main/engine/schedule'
import { loadSiteFile } from '../../src-main/engine/site-file'
import { parseSite, SiteError, type Site } from '#shared/site'
import type { RemoteHost } from '../../src-main/engine/ssh/remote-host'
import { mirrorLayout } from '../../src-main/engine/steps/mirror-layout'
import { MIRROR_STEPS } from '../../src-main/engine/steps/mirror-steps'
import { nginxSitePaths } from '../../src-main/engine/steps/nginx'
import { bedConnect, connectAsRoot } from '../testbed/bed-logins'
import { cronDaemonPid, stopCronStartedByTest } from '../testbed/cron-host'
import { addStandinWheel } from '../testbed/extra-wheel'
import { startMirrorHostBed, type MirrorHostBed } from '../testbed/mirror-host'
import { freePort, sh } from '../testbed/processes'
import { buildStandinWheels, startPypiStandin, type PypiStandin } from '../testbed/pypi-standin'

/**
 * The dashboard's engine against a real mirror: the mirror host is the bed's sshd (root with a
 * key), bandersnatch and uv are the product's own, nginx is this machine's, the upstream a
 * stand-in with its own copy of the wheels so the test can publish new files.
 */
let bed: MirrorHostBed
let upstream: PypiStandin
let wheels: string
let workersDir: string
let site: Site
let host: RemoteHost
let cronBefore: number | null

beforeAll(async () => {
  cronBefore = await cronDaemonPid()
  bed = await startMirrorHostBed()
  wheels = await mkdtemp(join(tmpdir(), 'pmw-dashboard-wheels-'))
  await buildStandinWheels(wheels)
  upstream = await startPypiStandin({ wheelsDir: wheels })
  const created = await bed.newSite({ upstream: upstream.url })
  site = await loadSiteFile(created.path)
  host = await connectAsRoot(bed)
  const applied = await runSteps(MIRROR_STEPS, host, site, { mode: 'apply' }, () => undefined)
  expect(applied.status, applied.error).toBe('changed')
  workersDir = await mkdtemp(join(tmpdir(), 'pmw-dashboard-workers-'))
})

afterAll(async () => {
  host?.close()
  if (site) await sh('rm', ['-f', schedulePaths(mirrorLayout(site.mirror)).cronFile])
  await stopCronStartedByTest(cronBefore)
  await upstream?.stop()
  await bed?.stop()
  for (const dir of [wheels, workersDir]) if (dir) await rm(dir, { recursive: true, force: true })
})

const url = () => `http://${site.mirror.serve.listen}/pypi`

async function workerDir(name: string, pipMirror: string | null): Promise<string> {
  const dir = join(workersDir, name)
  await mkdir(dir, { recursive: true })
  if (pipMirror !== null)
    await writeFile(
      join(dir, 'config.json'),
      JSON.stringify(
        { worker_port: '5000', registry: `file://${dir}/registry`, pip_mirror: pipMirror },
        null,
        '\t',
      ),
    )
  return dir
}

describe('site health', () => {
  it('reads the mirror and nginx, and gives each worker arrow a state and a reason', async () => {
    const ssh = { host: bed.sshd.host, port: bed.sshd.port, user: 'root' }
    const withWorkers = parseSite({
      ...site,
      workers: [
        { ssh, workerDir: await workerDir('good', url()), name: 'good' },
        { ssh, workerDir: await workerDir('stale', 'http://10.9.9.9:8080/pypi'), name: 'stale' },
        { ssh, workerDir: await workerDir('bare', null), name: 'bare' },
        { ssh: { ...ssh, port: await freePort() }, workerDir: '/srv/ol', name: 'down' },
      ],
    })
    const health = await siteHealth(withWorkers, bedConnect(bed))
    expect(health.mirrorUrl).toBe(url())
    expect(health.mirror.ssh.state).toBe('ok')
    expect(health.mirror.http).toMatchObject({
      state: 'ok',
      reason: expect.stringContaining('HTTP 200'),
    })
    expect(health.mirror.nginx.state).toBe('ok')
    expect(health.serveArrow.state).toBe('ok')
    expect(health.sync.state).toBe('ok')
    expect(health.mirror.figures).toMatchObject({
      projects: 4,
      files: 4,
      sync: { kind: 'finished', exitCode: 0 },
      progress: null,
      lastRun: { outcome: 'ok', trigger: 'app' },
      nginx: { installed: true, running: true },
    })
    const figures = health.mirror.figures
    expect(figures?.serial).toBeGreaterThan(0)
    expect(figures?.bytesOnDisk).toBeGreaterThan(0)
    expect(figures?.disk?.freeBytes).toBeGreaterThan(0)
    expect(figures?.disk?.totalBytes).toBeGreaterThanOrEqual(figures?.disk?.freeBytes ?? 0)
    expect(Date.now() - new Date(figures?.lastSyncedAt ?? 0).getTime()).toBeLessThan(600_000)

    const [good, stale, bare, down] = health.workers
    expect(good).toMatchObject({
      configuredPipMirror: url(),
      ssh: { state: 'ok' },
      config: { state: 'ok' },
    })
    // 200 from the worker host, but a loopback address is the sandbox itself inside OpenLambda.
    expect(good?.http).toMatchObject({
      state: 'warning',
      reason: expect.stringMatching(/HTTP 200.*loopback/),
    })
    expect(good?.arrow.state).toBe('warning')
    expect(stale?.config).toMatchObject({
      state: 'failed',
      reason: expect.stringContaining(`pip_mirror is http://10.9.9.9:8080/pypi, not ${url()}`),
    })
    expect(stale?.arrow.state).toBe('failed')
    expect(bare?.config).toMatchObject({
      state: 'failed',
      reason: expect.stringContaining('does not exist'),
    })
    expect(down?.ssh).toMatchObject({
      state: 'failed',
      reason: expect.stringContaining('cannot be reached over SSH'),
    })
    expect(down?.http.state).toBe('unknown')
    expect(down?.arrow.state).toBe('failed')
  })

  it('a mirror host that cannot be reached is a red dot, not an error', async () => {
    const away = parseSite({
      ...site,
      mirror: { ...site.mirror, ssh: { ...site.mirror.ssh, port: await freePort() } },
    })
    const health = await siteHealth(away, bedConnect(bed))
    expect(health.mirror.ssh.state).toBe('failed')
    expect(health.mirror.figures).toBeNull()
    expect(health.serveArrow.state).toBe('failed')
    expect(health.sync.state).toBe('unknown')
  })

  it('shows a sync running on the host now, with how far its log says it is', async () => {
    // A process standing in for the detached sync, and the lines bandersnatch logs as it goes.
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' })
    const layout = mirrorLayout(site.mirror)
    const log = await readFile(layout.syncLog, 'utf8').catch(() => null)
    await writeFile(layout.syncPid, `${sleeper.pid}\n`)
    await writeFile(
      layout.syncLog,
      [
        '2026-11-24 08:34:11,101 INFO: Syncing with 10 packages to sync.',
        '2026-11-24 08:34:11,902 INFO: Storing index page(s): alpha - in /srv/x/web/simple/alpha',
        '2026-11-24 08:34:12,310 INFO: Storing index page(s): beta - in /srv/x/web/simple/beta',
        '2026-11-24 08:34:12,480 INFO: Downloading: https://files.example/gamma-1.0.whl',
        '',
      ].join('\n'),
    )
    try {
      const health = await siteHealth(site, bedConnect(bed))
      expect(health.mirror.figures?.sync).toMatchObject({ kind: 'running', pid: sleeper.pid })
      expect(health.mirror.figures?.progress).toEqual({
        done: 2,
        total: 10,
        lastLine: '2026-11-24 08:34:12,480 INFO: Downloading: https://files.example/gamma-1.0.whl',
      })
    } finally {
      sleeper.kill()
      await rm(layout.syncPid, { force: true })
      if (log === null) await rm(layout.syncLog, { force: true })
      else await writeFile(layout.syncLog, log)
    }
  })
})

describe('dashboard actions', () => {
  it('sync now fetches what the upstream published since, and the counts change', async () => {
    const before = await mirrorStatus(host, site)
    await addStandinWheel(wheels, {
      name: 'alpha',
      version: '1.1',
      tag: 'py3-none-manylinux2014_x86_64',
      requiresDist: ['beta>=1.0'],
    })
    const action = syncNowAction(site)
    const plan = await planAction(host, action)
    expect(plan.error).toBeNull()
    expect(plan.steps.map((s) => s.id)).toEqual(['sync', 'nginx', 'verify'])
    // The sync's own preparation (its previous exit file cleared) is in the plan too.
    expect(plan.steps[0]?.changes.map((c) => c.summary)).toContainEqual(
      expect.stringMatching(/^Run `bandersnatch mirror` detached now/),
    )
    const events: RunEvent[] = []
    const outcome = await applyAction(host, action, { emit: (e) => events.push(e) })
    expect(outcome.summary.status, outcome.summary.error).toBe('changed')
    expect(events.some((e) => e.type === 'log' && /^Sync started \(pid \d+\)/.test(e.line))).toBe(
      true,
    )
    const after = await mirrorStatus(host, site)
    expect(after.files).toBe(before.files + 1)
    expect(after.projects).toBe(before.projects)
    expect(after.serial).toBeGreaterThan(before.serial ?? 0)
  })

  it('add packages resolves the closure again, syncs, verifies, and returns the site to save', async () => {
    expect(() => addPackagesAction(site, ['bad name!'])).toThrow(SiteError)
    const action = addPackagesAction(site, ['outsider', 'alpha'])
    expect(action.site.mirror.requirements).toEqual(['alpha', 'outsider'])
    const plan = await planAction(host, action)
    const requirements = plan.steps.find((s) => s.id === 'requirements')
    expect(
      requirements?.changes.some((c) => c.kind === 'file' && c.diff.includes('+outsider')),
    ).toBe(true)
    expect(requirements?.notes.join(' ')).toContain('outsider==1.0')
    const outcome = await applyAction(host, action)
    expect(outcome.summary.status, outcome.summary.error).toBe('changed')
    expect(outcome.site.mirror.requirements).toEqual(['alpha', 'outsider'])
    const status = await mirrorStatus(host, outcome.site)
    expect(status.projects).toBe(5)
    expect(
      await readFile(`${site.mirror.directory}/requirements/requirements.txt`, 'utf8'),
    ).toMatch(/^outsider==1\.0$/m)
    expect((await fetch(`${url()}/simple/outsider/`)).status).toBe(200)
    site = outcome.site
  })

  it('restart nginx checks the configuration first, then reloads it (no systemd): it never stops serving', async () => {
    const action = restartNginxAction(site)
    const plan = await planAction(host, action)
    expect(
      plan.steps[0]?.changes.map((c) => (c.kind === 'command' ? c.argv.join(' ') : '')),
    ).toEqual(['nginx -t', 'nginx -s reload'])
    const master = (await readFile('/run/nginx.pid', 'utf8')).trim()
    const outcome = await applyAction(host, action)
    expect(outcome.summary.status, outcome.summary.error).toBe('changed')
    expect((await readFile('/run/nginx.pid', 'utf8')).trim()).toBe(master)
    expect((await fetch(`${url()}/simple/`)).status).toBe(200)
  })

  it('update bandersnatch: the newest release for this Python is there; refused while a sync runs', async () => {
    const plan = await planAction(host, updateBandersnatchAction(site))
    expect(plan.error).toBeNull()
    expect(plan.changeCount).toBe(0)
    expect(plan.steps.flatMap((s) => s.notes).join(' ')).toMatch(/bandersnatch 6\.8\.0/)
    // A process standing in for a running sync (this machine is the mirror host).
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' })
    const layout = mirrorLayout(site.mirror)
    await writeFile(layout.syncPid, `${sleeper.pid}\n`)
    try {
      const refused = await planAction(host, updateBandersnatchAction(site))
      expect(refused.error).toMatch(new RegExp(`A sync is running \\(pid ${sleeper.pid}\\)`))
    } finally {
      sleeper.kill()
      await rm(layout.syncPid, { force: true })
    }
  })

  it('remove the mirror lists the exact paths, does nothing without the host name typed exactly, then deletes them all', async () => {
    const scheduled = await applyAction(
      host,
      setScheduleAction(site, { kind: 'daily', hour: 4, minute: 30 }),
    )
    expect(scheduled.summary.status, scheduled.summary.error).not.toBe('failed')
    const layout = mirrorLayout(site.mirror)
    const nginx = nginxSitePaths(site.mirror)
    const schedule = schedulePaths(layout)

    // A backup the nginx step left of an earlier version of the site file.
    const backup = `${nginx.available}.pmw-backup-20240101T000000Z`
    await writeFile(backup, '# an earlier site\n')

    const plan = await planAction(host, removeMirrorAction(site))
    expect(plan.error).toBeNull()
    expect(plan.deletes).toEqual(
      expect.arrayContaining([
        schedule.cronFile,
        schedule.wrapperFile,
        nginx.enabled,
        nginx.available,
        backup,
        layout.state,
        layout.dir,
      ]),
    )
    const notes = plan.steps[0]?.notes.join('\n') ?? ''
    for (const path of plan.deletes) expect(notes).toContain(`deletes ${path}`)
    expect(notes).toContain('keeps /opt/pip-mirror-wizard/venv')

    for (const typed of [
      null,
      'localhost',
      `${site.mirror.ssh.host} `,
      site.mirror.ssh.host.toUpperCase() + 'x',
    ])
      await expect(applyAction(host, removeMirrorAction(site, typed))).rejects.toThrow(
        HostConfirmationError,
      )
    for (const path of plan.deletes) expect(existsSync(path), path).toBe(true)

    const outcome = await applyAction(host, removeMirrorAction(site, site.mirror.ssh.host))
    expect(outcome.summary.status, outcome.summary.error).toBe('changed')
    for (const path of plan.deletes) expect(existsSync(path), path).toBe(false)
    await expect(fetch(`${url()}/simple/`)).rejects.toThrow()
    expect(existsSync(`/proc/${(await readFile('/run/nginx.pid', 'utf8')).trim()}`)).toBe(true)

    const again = await planAction(host, removeMirrorAction(site))
    expect(again.changeCount).toBe(0)
    expect(again.deletes).toEqual([])
  })
})
