import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { SiteStore } from '../../src-main/app-data/site-store'
import { mirrorStatus, type MirrorStatus } from '../../src-main/engine/mirror-status'
import { runSteps } from '../../src-main/engine/run'
import { schedulePaths } from '../../src-main/engine/schedule'
import { loadSiteFile } from '../../src-main/engine/site-file'
import type { Site } from '#shared/site'
import { mirrorLayout } from '../../src-main/engine/steps/mirror-layout'
import { MIRROR_STEPS } from '../../src-main/engine/steps/mirror-steps'
import { connectAsRoot } from '../testbed/bed-logins'
import { ensureCliBuilt, runPipMirror } from '../testbed/cli'
import { cronDaemonPid, stopCronStartedByTest } from '../testbed/cron-host'
import { addStandinWheel } from '../testbed/extra-wheel'
import { startMirrorHostBed, type MirrorHostBed } from '../testbed/mirror-host'
import { sh } from '../testbed/processes'
import { buildStandinWheels, startPypiStandin, type PypiStandin } from '../testbed/pypi-standin'
import { openApp, type OpenedApp } from './harness'
import { pageHelpers } from './page-helpers'

/**
 * A saved site's dashboard in Chromium, the real handlers and engine behind it, against a real
 * mirror: the bed's sshd (root with a key), this machine's nginx, bandersnatch, and an upstream
 * stand-in with its own wheels so the test can publish a new release. Opened from the start
 * screen; then sync now, a cron schedule set and removed, the saved file run by `pip-mirror`,
 * the mirror removed, and the activity history searched and exported.
 */

const LONG = 240_000

let bed: MirrorHostBed
let upstream: PypiStandin
let wheels: string
let site: Site
let siteId: string
let dataDir: string
let app: OpenedApp
const { byTestId, heading, text, visible } = pageHelpers(() => app)
let cronBefore: number | null
const exported: string[] = []

/** What the engine reads from the host itself, to compare with what the page shows. */
async function statusFromHost(): Promise<MirrorStatus> {
  const host = await connectAsRoot(bed)
  try {
    return await mirrorStatus(host, site)
  } finally {
    host.close()
  }
}

/** Plans, applies, and waits for the dashboard to say how the action ended. */
async function applyShownPlan(): Promise<string | null> {
  await visible(byTestId('plan-apply'), LONG)
  await byTestId('plan-apply').click()
  const result = byTestId('action-result')
  await visible(result, LONG)
  return result.getAttribute('data-status')
}

beforeAll(async () => {
  cronBefore = await cronDaemonPid()
  bed = await startMirrorHostBed()
  wheels = await mkdtemp(join(tmpdir(), 'pmw-e2e-dashboard-wheels-'))
  await buildStandinWheels(wheels)
  upstream = await startPypiStandin({ wheelsDir: wheels })
  const created = await bed.newSite({ upstream: upstream.url })
  site = await loadSiteFile(created.path)
  const host = await connectAsRoot(bed)
  try {
    const applied = await runSteps(MIRROR_STEPS, host, site, { mode: 'apply' }, () => undefined)
    expect(applied.status, applied.error).toBe('changed')
  } finally {
    host.close()
  }
  dataDir = await mkdtemp(join(tmpdir(), 'pmw-e2e-dashboard-data-'))
  siteId = (await new SiteStore(dataDir).save({ ...site, name: 'Test bed mirror' })).id
  app = await openApp({
    session: { dataDir },
    deps: {
      saveTextFile: async (name, content) => {
        const path = join(dataDir, 'exported', name)
        await mkdir(join(dataDir, 'exported'), { recursive: true })
        await writeFile(path, content)
        exported.push(path)
        return path
      },
    },
  })
}, LONG)

afterEach(async ({ task }) => {
  if (task.result?.state !== 'fail' || !app) return
  const name = `failed-dashboard-${task.name.replace(/[^\w]+/g, '-').slice(0, 50)}`
  await app.screenshot(name).catch(() => undefined)
})

afterAll(async () => {
  await app?.close()
  if (site) await sh('rm', ['-f', schedulePaths(mirrorLayout(site.mirror)).cronFile])
  await stopCronStartedByTest(cronBefore)
  await upstream?.stop()
  await bed?.stop()
  for (const dir of [wheels, dataDir]) if (dir) await rm(dir, { recursive: true, force: true })
})

describe('a saved site’s dashboard, against a real mirror', () => {
  it(
    'opens from the start screen and shows the mirror as the host reads it',
    async () => {
      await expect.poll(heading).toBe('Your mirrors')
      const card = app.page.locator(`[data-site-id="${siteId}"]`)
      expect(await card.textContent()).toContain('Test bed mirror')
      await app.screenshot('start-1-sites')
      await card.getByTestId('open-dashboard').click()
      await expect.poll(heading).toBe('Test bed mirror')

      // The site was saved, not set up here: its host key is asked about first.
      await visible(byTestId('host-key-dialog'))
      expect(await text('host-key-fingerprint')).toBe(bed.sshd.hostKeyFingerprint)
      await byTestId('host-key-trust').click()

      await visible(byTestId('mirror-figures'), LONG)
      const truth = await statusFromHost()
      expect(await text('figure-projects')).toBe(String(truth.projects))
      expect(await text('figure-files')).toBe(String(truth.files))
      expect(await text('figure-serial')).toBe(String(truth.serial))
      expect(await text('figure-nginx')).toBe('running')
      expect(await text('disk-free')).toMatch(/free of/)
      expect(await byTestId('serve-dot').getAttribute('data-state')).toBe('ok')
      expect(await text('health-reasons')).toContain(`GET ${truth.url}/simple/`)
      expect(await text('health-reasons')).toContain('HTTP 200')
      await visible(byTestId('schedule-none'))
      await app.screenshot('dashboard-1-site')
    },
    LONG,
  )

  it(
    'syncs now after a new release upstream: the plan first, then the counts change',
    async () => {
      const before = await statusFromHost()
      await addStandinWheel(wheels, {
        name: 'alpha',
        version: '1.1',
        tag: 'py3-none-manylinux2014_x86_64',
        requiresDist: ['beta>=1.0'],
      })
      await byTestId('action-sync-now').click()
      await visible(byTestId('action-plan'), LONG)
      await expect
        .poll(() => text('action-plan'), { timeout: LONG })
        .toContain('Run `bandersnatch mirror` detached now')
      await app.screenshot('dashboard-2-sync-plan')

      expect(await applyShownPlan()).toBe('changed')
      expect(Number(await byTestId('action-log').getAttribute('data-lines'))).toBeGreaterThan(10)
      await expect
        .poll(() => text('figure-files'), { timeout: 60_000 })
        .toBe(String(before.files + 1))
      expect(Number(await text('figure-serial'))).toBeGreaterThan(before.serial ?? 0)
      expect(await text('figure-projects')).toBe(String(before.projects))
      await app.screenshot('dashboard-3-synced')
    },
    LONG,
  )

  it(
    'refuses a shown plan once the host changed, says what changed, and plans again',
    async () => {
      const conf = mirrorLayout(site.mirror).conf
      const original = await readFile(conf, 'utf8')
      await byTestId('action-sync-now').click()
      await expect
        .poll(() => text('action-plan'), { timeout: LONG })
        .toContain('Run `bandersnatch mirror` detached now')
      // Someone edits the config between the plan on the page and the click on Apply.
      await writeFile(conf, `${original}# edited by hand\n`)
      try {
        expect(await applyShownPlan()).toBe('failed')
        expect(await text('action-result')).toContain(
          'The host changed since the plan was made; nothing was applied',
        )
        expect(await text('action-result')).toContain(`file ${conf}: was sha256`)
        await app.screenshot('dashboard-3b-stale-plan')
        await byTestId('plan-again').click()
        await visible(byTestId('action-plan'), LONG)
        expect(await applyShownPlan()).toBe('changed')
      } finally {
        await writeFile(conf, original)
      }
    },
    LONG,
  )

  it(
    'installs a daily sync as a cron entry (no systemd here), shows it, and removes it',
    async () => {
      const cronFile = schedulePaths(mirrorLayout(site.mirror)).cronFile
      const panel = byTestId('schedule-panel')
      await panel.getByTestId('schedule-time').locator('input').fill('03:00')
      await byTestId('schedule-plan').click()
      await expect
        .poll(() => panel.getByTestId('action-plan').textContent(), { timeout: LONG })
        .toContain(cronFile)
      expect(await panel.getByTestId('action-plan').textContent()).toContain('+0 3 * * * root')
      await app.screenshot('dashboard-4-schedule-plan')
      expect(await applyShownPlan()).toBe('changed')
      expect(existsSync(cronFile)).toBe(true)
      await expect
        .poll(() => text('schedule-installed'), { timeout: 60_000 })
        .toContain('daily at 03:00')
      expect(await text('schedule-installed')).toContain(cronFile)
      await app.screenshot('dashboard-5-scheduled')

      await byTestId('schedule-remove').click()
      expect(await applyShownPlan()).toBe('changed')
      expect(existsSync(cronFile)).toBe(false)
      await visible(byTestId('schedule-none'))
    },
    LONG,
  )

  it('exports the saved site, which pip-mirror plans unchanged', async () => {
    await ensureCliBuilt()
    await byTestId('nav-sites').click()
    await app.page.locator(`[data-site-id="${siteId}"]`).getByTestId('export-site').click()
    await expect.poll(() => exported.length).toBe(1)
    const file = exported[0] as string
    expect(await readFile(file, 'utf8')).toBe(
      await readFile(new SiteStore(dataDir).fileOf(siteId), 'utf8'),
    )
    const planned = await runPipMirror([
      'plan',
      '--site',
      file,
      '--known-hosts',
      join(dataDir, 'known_hosts'),
    ])
    expect(planned.code, `${planned.stdout}\n${planned.stderr}`).toBe(0)
  })

  it(
    'removes the mirror only once its host name is typed, deleting exactly the paths it showed',
    async () => {
      await app.page.locator(`[data-site-id="${siteId}"]`).getByTestId('open-dashboard').click()
      await visible(byTestId('mirror-figures'), LONG)
      await byTestId('action-remove-mirror').click()
      const deletes = byTestId('plan-deletes')
      await visible(deletes, LONG)
      expect(await deletes.textContent()).toContain(site.mirror.directory)
      expect(await deletes.textContent()).toContain('/etc/nginx/sites-enabled/pip-mirror-')
      await byTestId('confirm-host').locator('input').fill('not-the-host')
      expect(await byTestId('plan-apply').isDisabled()).toBe(true)
      await byTestId('confirm-host').locator('input').fill(site.mirror.ssh.host)
      await app.screenshot('dashboard-6-remove-plan')
      expect(await applyShownPlan()).toBe('changed')
      expect(existsSync(site.mirror.directory)).toBe(false)
    },
    LONG,
  )

  it('records every run in the history: searchable, with its steps and commands, exportable', async () => {
    await byTestId('nav-history').click()
    await expect.poll(heading).toBe('Activity history')
    await visible(byTestId('history-row'))
    const all = await byTestId('history-row').count()
    expect(all).toBeGreaterThanOrEqual(8)
    expect(await text('history-list')).toContain('Sync now (apply)')
    await app.screenshot('history-1-list')

    await byTestId('history-search').locator('input').fill('remove-schedule')
    await byTestId('history-search-button').click()
    await expect.poll(() => byTestId('history-row').count()).toBe(2)
    // Words from a log: only the sync that fetched the new release logged its file name.
    await byTestId('history-search').locator('input').fill('alpha-1.1-py3-none-manylinux2014')
    await byTestId('history-search-button').click()
    await expect.poll(() => byTestId('history-row').count()).toBe(1)
    await byTestId('history-row').first().click()
    await visible(byTestId('history-detail'))
    expect(await text('history-detail')).toContain('Sync the mirror now')
    expect(await text('history-commands')).toContain('bandersnatch')
    expect(Number(await byTestId('history-log').getAttribute('data-lines'))).toBeGreaterThan(5)
    await app.screenshot('history-2-detail')

    await byTestId('export-run').click()
    await visible(byTestId('history-saved'))
    const file = exported.at(-1) as string
    const runId = (await byTestId('history-detail').getAttribute('data-run-id')) as string
    const ticket = await readFile(file, 'utf8')
    expect(ticket).toContain(`=== Pip Mirror Wizard run ${runId}`)
    expect(ticket).toContain('Sync started')
    expect(app.problems).toEqual([])
  })
})
