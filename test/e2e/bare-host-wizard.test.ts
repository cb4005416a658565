import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { OPS_USER, startBareBed, type BareBed } from '../testbed/bare-host/bed'
import type { BareHost } from '../testbed/bare-host/host'
import { getFromHost } from '../testbed/bare-host/inside'
import { openApp, type OpenedApp } from './harness'
import { pageHelpers } from './page-helpers'

/**
 * Scenario 2 of issue 14 through the wizard in Chromium: a bare Debian 12 host never seen
 * before (its host key confirmed on first contact), logged into as an admin with a key whose
 * sudo asks a password, the mirror under that admin's home at Debian's default mode. Serving
 * it answers 403 with the doctor's finding; Verify & repair shows the least change, makes it,
 * and the mirror is verified.
 */
const LONG = 300_000

let bed: BareBed
let host: BareHost
let dataDir: string
let app: OpenedApp
const { byTestId, inputOf, heading, visible, goOn, resolvePackages, awaitClosure } = pageHelpers(
  () => app,
  60_000,
)
const home = `/home/${OPS_USER.name}`

beforeAll(async () => {
  bed = await startBareBed()
  host = await bed.startHost({ name: 'wizard12', suite: 'bookworm' })
  await bed.addSudoUser(host)
  dataDir = await mkdtemp(join(tmpdir(), 'pmw-bare-wizard-'))
  app = await openApp({ session: { dataDir } })
}, LONG)

afterEach(async ({ task }) => {
  if (task.result?.state !== 'fail' || !app) return
  await app
    .screenshot(`failed-bare-${task.name.replace(/[^\w]+/g, '-').slice(0, 50)}`)
    .catch(() => undefined)
})

afterAll(async () => {
  await app?.close()
  await bed?.stop()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

describe('the wizard against a bare Debian 12 host', () => {
  it('connects once the never-seen host key is confirmed', async () => {
    await byTestId('new-site').click()
    await expect.poll(heading).toBe('Connect')
    await inputOf('host').fill(host.address)
    await inputOf('port').fill('22')
    await inputOf('user').fill(OPS_USER.name)
    await inputOf('identity-file').fill(bed.key.path)
    await inputOf('sudo-password').fill(OPS_USER.password)
    await byTestId('connect').click()
    await visible(byTestId('host-key-dialog'))
    expect(await byTestId('host-key-fingerprint').textContent()).toBe(host.hostKeyFingerprint)
    await expect(readFile(join(dataDir, 'known_hosts'), 'utf8')).rejects.toThrow()
    await byTestId('host-key-trust').click()
    await visible(byTestId('connected'))
    expect(await readFile(join(dataDir, 'known_hosts'), 'utf8')).toContain(host.address)

    await goOn('Check the host')
    await visible(byTestId('check-verdict'), LONG)
    const card = await byTestId('facts-card').textContent()
    expect(card).toContain('Debian GNU/Linux 12')
    expect(card).toContain('sudo with a password')
  })

  it(
    'installs the tools through the proxy, resolves, mirrors into the home directory',
    async () => {
      await goOn('Choose packages')
      await resolvePackages({
        requirements: 'alpha',
        directory: `${home}/pypi`,
        upstream: bed.upstream.url,
        proxy: bed.proxy.url,
      })
      await awaitClosure(LONG, async () => {
        expect(await byTestId('tools-plan').textContent()).toContain('python3-venv')
      })
      await goOn('Mirror')
      await visible(byTestId('config-diff'), LONG)
      expect(await byTestId('config-diff').textContent()).toContain(`+proxy = ${bed.proxy.url}`)
      await byTestId('start-mirroring').click()
      await visible(byTestId('mirrored'), LONG)
    },
    LONG,
  )

  it(
    'serving answers 403, and the page says what blocks nginx',
    async () => {
      await goOn('Serve')
      await byTestId('listen-address').locator('label', { hasText: host.address }).click()
      await inputOf('serve-port').fill('80')
      await byTestId('plan-serve').click()
      await visible(byTestId('nginx-diff'), LONG)
      await byTestId('serve').click()
      await visible(byTestId('serve-forbidden'), LONG)
      const error = await byTestId('error-panel').textContent()
      expect(error).toContain('403 Forbidden')
      expect(error).toContain(`www-data cannot pass through ${home}`)
      expect(error).toContain(`chmod o+x ${home} (0700 → 0701)`)
      await app.screenshot('bare-wizard-serve-403')
    },
    LONG,
  )

  it(
    'Verify & repair shows the least change, makes it, and the mirror is verified',
    async () => {
      await byTestId('serve-repair').click()
      await expect.poll(heading).toBe('Verify & repair')
      await visible(byTestId('forbidden'), LONG)
      await byTestId('diagnose').click()
      await visible(byTestId('repair-plan'), LONG)
      expect(await byTestId('repair-plan').textContent()).toContain(`o+x on ${home} `)
      await byTestId('repair').click()
      await visible(byTestId('verified'), LONG)
      expect(await host.run(['stat', '-c', '%a', home])).toBe('701\n')
      expect((await getFromHost(host, `http://${host.address}/pypi/simple/alpha/`)).status).toBe(
        200,
      )
      await app.screenshot('bare-wizard-verified')
      expect(app.problems).toEqual([])
    },
    LONG,
  )
})
