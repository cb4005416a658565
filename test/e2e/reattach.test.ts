import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppSession } from '../../src-main/app/app-session'
import type { StageId } from '#shared/ipc/contract'
import { startMirrorHostBed, type MirrorHostBed } from '../testbed/mirror-host'
import { startPypiStandin, type PypiStandin } from '../testbed/pypi-standin'
import { openApp, type OpenedApp } from './harness'

/**
 * Closing the app in the middle of a sync: the sync goes on on the host, and the next start of
 * the app comes back on the Mirror page, reconnects and follows the same sync to its end, with
 * nobody clicking anything. The upstream serves files slowly so the sync is caught mid-way.
 */

const LONG = 180_000

let bed: MirrorHostBed
let slow: PypiStandin
let dataDir: string
let app: OpenedApp | undefined

async function finished(session: AppSession, stage: StageId): Promise<void> {
  await expect
    .poll(async () => (await session.snapshot()).stages[stage]?.status, { timeout: LONG })
    .toMatch(/^(ok|changed|planned)$/)
}

beforeAll(async () => {
  bed = await startMirrorHostBed()
  slow = await startPypiStandin({ fileDelaySeconds: 3 })
  dataDir = await mkdtemp(join(tmpdir(), 'pmw-reattach-data-'))
}, LONG)

afterAll(async () => {
  await app?.close()
  await slow?.stop()
  await bed?.stop()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

describe('a sync under way when the app closes', () => {
  it(
    'is followed again, to its end, when the app opens next',
    async () => {
      const site = await bed.newSite({ upstream: slow.url })
      app = await openApp({ session: { dataDir } })
      // Up to the Mirror page through the session itself; the wizard test clicks these pages.
      const { session } = app
      const target = {
        host: bed.sshd.host,
        port: bed.sshd.port,
        user: 'root',
        identityFile: bed.key.path,
      }
      expect(
        (await session.connections.connect({ target, secrets: {}, remember: false })).kind,
      ).toBe('unknown-key')
      expect(
        (await session.connections.trust({ fingerprint: bed.sshd.hostKeyFingerprint })).kind,
      ).toBe('connected')
      await session.wizard.updateSite({
        directory: site.directory,
        upstream: slow.url,
        allowNonHttps: true,
        requirements: ['alpha'],
      })
      await session.stages.startRun({ stage: 'packages', mode: 'apply' })
      await finished(session, 'packages')
      await session.wizard.saveWizard({
        step: 'mirror',
        completed: ['connect', 'check-host', 'packages'],
      })

      await app.page.reload()
      // Nothing was under way: the app shows the list of sites, with this unfinished setup.
      await app.page.getByTestId('resume-setup').click({ timeout: 30_000 })
      await expect.poll(() => app?.page.locator('main h1').textContent()).toBe('Mirror')
      await app.page.getByTestId('start-mirroring').click({ timeout: 60_000 })
      const log = app.page.getByTestId('mirror-log')
      await expect
        .poll(() => log.textContent(), { timeout: LONG })
        .toMatch(/Sync started \(pid \d+\)/)
      const pid = /Sync started \(pid (\d+)\)/.exec((await log.textContent()) ?? '')?.[1]
      await app.screenshot('reattach-1-syncing')
      await app.close()
      app = undefined

      // The sync did not stop with the app.
      expect((await readFile(`${site.directory}/.pip-mirror/sync.pid`, 'utf8')).trim()).toBe(pid)

      app = await openApp({ session: { dataDir } })
      const page = app.page
      await expect.poll(() => page.locator('main h1').textContent()).toBe('Mirror')
      await page.getByTestId('reattached').waitFor({ timeout: 60_000 })
      await expect
        .poll(() => page.getByTestId('mirror-log').textContent(), { timeout: LONG })
        .toContain(`Reattaching to the sync running as pid ${pid}`)
      await page.getByTestId('mirrored').waitFor({ timeout: LONG })
      expect(await page.getByTestId('mirror-log').textContent()).not.toMatch(/Sync started/)
      expect((await readFile(`${site.directory}/.pip-mirror/sync.exit`, 'utf8')).trim()).toBe('0')
      await app.screenshot('reattach-2-reattached')
    },
    LONG,
  )
})
