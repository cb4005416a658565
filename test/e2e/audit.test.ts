import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { SiteStore } from '../../src-main/app-data/site-store'
import { auditMirror } from '../../src-main/engine/audit'
import { runSteps } from '../../src-main/engine/run'
import { loadSiteFile } from '../../src-main/engine/site-file'
import type { Site } from '#shared/site'
import { mirrorLayout } from '../../src-main/engine/steps/mirror-layout'
import { MIRROR_STEPS } from '../../src-main/engine/steps/mirror-steps'
import { connectAsRoot } from '../testbed/bed-logins'
import { addStandinWheel } from '../testbed/extra-wheel'
import { startMirrorHostBed, type MirrorHostBed } from '../testbed/mirror-host'
import { buildStandinWheels, startPypiStandin, type PypiStandin } from '../testbed/pypi-standin'
import { StandinAdvisories } from '../testbed/standin-advisories'
import { openApp, type OpenedApp } from './harness'
import { pageHelpers } from './page-helpers'

/**
 * The dashboard's audit panel in Chromium, the real handlers and engine behind it, against a
 * real mirror whose upstream stand-in then publishes a fixed release, an advisory and a yank,
 * and one of whose files is corrupted on the host: the counts and the advisories behind them,
 * then the security update planned as a pin diff and applied, then the prune of what it replaced.
 */

const LONG = 240_000

let bed: MirrorHostBed
let upstream: PypiStandin
let advisories: StandinAdvisories
let work: string
let site: Site
let siteId: string
let app: OpenedApp
const { byTestId, heading, text, visible } = pageHelpers(() => app)

/** The gamma wheel as the mirror host stores it, and its bytes before the test touched it. */
let gammaPath: string
let gammaBytes: Buffer

async function applyShownPlan(): Promise<string | null> {
  await visible(byTestId('plan-apply'), LONG)
  await byTestId('plan-apply').click()
  const result = byTestId('action-result')
  await visible(result, LONG)
  return result.getAttribute('data-status')
}

const count = (key: string) => text(`audit-count-${key}`)

beforeAll(async () => {
  bed = await startMirrorHostBed()
  work = await mkdtemp(join(tmpdir(), 'pmw-e2e-audit-'))
  const wheels = join(work, 'wheels')
  await buildStandinWheels(wheels)
  advisories = new StandinAdvisories(join(work, 'advisories.json'))
  upstream = await startPypiStandin({ wheelsDir: wheels, advisoriesFile: advisories.path })
  const created = await bed.newSite({ upstream: upstream.url })
  site = await loadSiteFile(created.path)
  const host = await connectAsRoot(bed)
  try {
    const applied = await runSteps(MIRROR_STEPS, host, site, { mode: 'apply' }, () => undefined)
    expect(applied.status, applied.error).toBe('changed')
    const gamma = (await auditMirror(host, site)).releases.find((r) => r.name === 'gamma')
    gammaPath = join(mirrorLayout(site.mirror).web, gamma?.files[0]?.path ?? '')
    gammaBytes = await readFile(gammaPath)
  } finally {
    host.close()
  }
  // Upstream, since the mirror was made: alpha 1.2 fixes an advisory against 1.1, beta 2.0 is
  // yanked. On the mirror host, one byte of the gamma wheel changed.
  await addStandinWheel(wheels, {
    name: 'alpha',
    version: '1.2',
    tag: 'py3-none-any',
    requiresDist: ['beta>=1.0'],
  })
  await advisories.publishAdvisory('alpha==1.1', {
    id: 'PYSEC-2099-7',
    aliases: ['CVE-2099-0007'],
    summary: 'alpha 1.1 runs what it is sent',
    fixed_in: ['1.2'],
  })
  await advisories.yank('beta==2.0', 'broken metadata')
  const corrupt = Buffer.from(gammaBytes)
  corrupt[corrupt.length - 30] = (corrupt[corrupt.length - 30] ?? 0) ^ 0xff
  await writeFile(gammaPath, corrupt)

  const dataDir = await mkdtemp(join(work, 'data-'))
  siteId = (await new SiteStore(dataDir).save({ ...site, name: 'Audited mirror' })).id
  app = await openApp({ session: { dataDir } })
}, LONG)

afterEach(async ({ task }) => {
  if (task.result?.state !== 'fail' || !app) return
  await app.screenshot(`failed-audit-${task.name.replace(/[^\w]+/g, '-').slice(0, 50)}`)
})

afterAll(async () => {
  await app?.close()
  await upstream?.stop()
  await bed?.stop()
  if (work) await rm(work, { recursive: true, force: true })
})

describe('the audit panel on a saved site’s dashboard', () => {
  it(
    'shows the counts, vulnerable, yanked and mismatched, with the advisories behind them',
    async () => {
      await expect.poll(heading).toBe('Your mirrors')
      await app.page.locator(`[data-site-id="${siteId}"]`).getByTestId('open-dashboard').click()
      await visible(byTestId('host-key-dialog'))
      await byTestId('host-key-trust').click()
      await visible(byTestId('mirror-figures'), LONG)

      await byTestId('audit-run').click()
      await visible(byTestId('audit-count-vulnerable'), LONG)
      expect(await count('vulnerable')).toBe('1')
      expect(await count('yanked')).toBe('1')
      expect(await count('mismatched')).toBe('1')
      expect(await count('outdated')).toBe('1')
      const advisory = await text('audit-advisory')
      expect(advisory).toContain('PYSEC-2099-7')
      expect(advisory).toContain('alpha==1.1')
      expect(advisory).toContain('CVE-2099-0007')
      expect(advisory).toContain('updating to 1.2 fixes it')
      expect(await text('audit-yanked')).toContain('beta==2.0: broken metadata')
      expect(await text('audit-mismatched')).toContain(
        'gamma-1.0-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
      )
      expect(await byTestId('audit-releases').textContent()).toContain('MIT')
      await app.screenshot('audit-1-dashboard')
      // The README's picture of the audit panel.
      await byTestId('audit-section').screenshot({
        path: join(import.meta.dirname, 'screenshots', 'audit-1-panel.png'),
        animations: 'disabled',
      })
      if (process.env.PIP_MIRROR_DOCS_SCREENSHOT)
        await byTestId('audit-section').screenshot({
          path: join(import.meta.dirname, '../../docs/audit.png'),
          animations: 'disabled',
        })
    },
    LONG,
  )

  it(
    'plans the security update as a pin diff first, applies it, and the audit follows',
    async () => {
      // The corrupted file goes back as it was: the update's verify downloads every pin.
      await writeFile(gammaPath, gammaBytes)
      await byTestId('update-security').click()
      await byTestId('action-update').click()
      await visible(byTestId('pin-diff'), LONG)
      const diff = await text('pin-diff')
      expect(diff).toContain('alpha')
      expect(diff).toContain('fixes PYSEC-2099-7')
      expect(diff).toContain('Still served until you prune them: alpha==1.1')
      expect(await byTestId('pin-change').count()).toBe(1)
      expect(await text('action-plan')).toContain('+alpha==1.2')
      await app.screenshot('audit-2-update-plan')

      expect(await applyShownPlan()).toBe('changed')
      const layout = mirrorLayout(site.mirror)
      expect(await readFile(layout.requirementsTxt, 'utf8')).toMatch(/^alpha==1\.2$/m)
      // The audit runs again by itself: 1.1 is still served (until pruned), so still vulnerable.
      await expect
        .poll(async () => byTestId('audit-releases').textContent(), { timeout: LONG })
        .toContain('until pruned')
      expect(await count('mismatched')).toBe('0')
      await app.screenshot('audit-3-updated')
    },
    LONG,
  )

  it(
    'prunes what the update replaced, listing exactly the path it deletes',
    async () => {
      await byTestId('action-prune').click()
      await visible(byTestId('plan-deletes'), LONG)
      const deletes = await text('plan-deletes')
      expect(deletes).toContain('alpha-1.1-py3-none-any.whl')
      const path = deletes.slice(deletes.indexOf('/'))
      expect(existsSync(path)).toBe(true)
      await app.screenshot('audit-4-prune-plan')
      expect(await applyShownPlan()).toBe('changed')
      expect(existsSync(path)).toBe(false)
      await expect.poll(() => count('vulnerable'), { timeout: LONG }).toBe('0')
      expect(await count('yanked')).toBe('1')
      expect(app.problems).toEqual([])
    },
    LONG,
  )
})
