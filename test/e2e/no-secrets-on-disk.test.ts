import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startMirrorHostBed, type MirrorHostBed } from '../testbed/mirror-host'
import { ensureTestUsers, SUDOER } from '../testbed/users'
import { openApp, type OpenedApp } from './harness'
import { pageHelpers } from './page-helpers'

/**
 * Passwords never reach the disk. The wizard logs in as a user whose sudo asks for a password
 * (the password typed into the Connect page, the sudo password too), sets up a mirror with them,
 * then the dashboard syncs it and the history is exported. Then every file the app wrote (its
 * whole data directory, the exported history and site included) and every page's HTML are
 * searched for the exact password.
 */

const LONG = 240_000

let bed: MirrorHostBed
let site: Awaited<ReturnType<MirrorHostBed['newSite']>>
let dataDir: string
let app: OpenedApp
const { byTestId, inputOf, heading, visible, goOn, resolvePackages, awaitClosure } = pageHelpers(
  () => app,
)
const pages: string[] = []

/** The page as it stands, kept to be searched for the password at the end. */
async function keepPage(): Promise<void> {
  pages.push(await app.page.content())
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
}

beforeAll(async () => {
  await ensureTestUsers()
  bed = await startMirrorHostBed()
  site = await bed.newSite()
  dataDir = await mkdtemp(join(tmpdir(), 'pmw-e2e-secrets-data-'))
  app = await openApp({
    session: { dataDir },
    deps: {
      saveTextFile: async (name, text) => {
        const path = join(dataDir, 'exported', name)
        await mkdir(join(dataDir, 'exported'), { recursive: true })
        await writeFile(path, text)
        return path
      },
    },
  })
}, LONG)

afterEach(async ({ task }) => {
  if (task.result?.state !== 'fail' || !app) return
  const name = `failed-secrets-${task.name.replace(/[^\w]+/g, '-').slice(0, 50)}`
  await app.screenshot(name).catch(() => undefined)
})

afterAll(async () => {
  await app?.close()
  await bed?.stop()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

describe('a password and a sudo password, used all the way', () => {
  it(
    'set up a mirror through the wizard as a user whose sudo asks for a password',
    async () => {
      await byTestId('new-site').click()
      await expect.poll(heading).toBe('Connect')
      await inputOf('host').fill(bed.sshd.host)
      await inputOf('port').fill(String(bed.sshd.port))
      await inputOf('user').fill(SUDOER.name)
      await byTestId('auth-method').getByText('A password').click()
      await inputOf('password').fill(SUDOER.password)
      await inputOf('sudo-password').fill(SUDOER.password)
      await byTestId('connect').click()
      await visible(byTestId('host-key-dialog'))
      await byTestId('host-key-trust').click()
      await visible(byTestId('connected'))
      await keepPage()

      await goOn('Check the host')
      await visible(byTestId('check-verdict'), LONG)
      expect(await byTestId('facts-card').textContent()).toContain('sudo with a password')
      await keepPage()

      await goOn('Choose packages')
      await resolvePackages({
        requirements: 'alpha',
        directory: site.directory,
        upstream: bed.upstream.url,
      })
      await awaitClosure(LONG)
      await keepPage()

      await goOn('Mirror')
      await visible(byTestId('config-diff'), LONG)
      await byTestId('start-mirroring').click()
      await visible(byTestId('mirrored'), LONG)
      await keepPage()

      await goOn('Serve')
      await byTestId('listen-address').locator('label', { hasText: '127.0.0.1' }).click()
      await byTestId('accept-loopback').click()
      await inputOf('serve-port').fill(String(site.port))
      await byTestId('plan-serve').click()
      await visible(byTestId('nginx-diff'), LONG)
      await byTestId('serve').click()
      await visible(byTestId('served'), LONG)
      await keepPage()
    },
    LONG,
  )

  it(
    'sync from the dashboard with the sudo password the session holds, and export the history',
    async () => {
      await byTestId('nav-dashboard').click()
      await visible(byTestId('mirror-figures'), LONG)
      await byTestId('action-sync-now').click()
      await visible(byTestId('plan-apply'), LONG)
      await keepPage()
      await byTestId('plan-apply').click()
      await visible(byTestId('action-result'), LONG)
      expect(await byTestId('action-result').getAttribute('data-status')).toMatch(/^(ok|changed)$/)
      await keepPage()

      await byTestId('nav-history').click()
      await visible(byTestId('history-row'))
      expect(await byTestId('history-row').count()).toBeGreaterThanOrEqual(6)
      await byTestId('export-listed').click()
      await visible(byTestId('history-saved'))
      await keepPage()
    },
    LONG,
  )

  it('left the password in no file the app wrote, and on no page it showed', async () => {
    await app.close()
    const files = await filesUnder(dataDir)
    const names = files.map((file) => file.slice(dataDir.length + 1))
    expect(names).toEqual(
      expect.arrayContaining([
        'known_hosts',
        expect.stringMatching(/^sites\/.+\.json$/),
        expect.stringMatching(/^wizard-progress\/.+\.json$/),
        expect.stringMatching(/^history\/.+\.json$/),
        expect.stringMatching(/^exported\/pip-mirror-history-.+\.txt$/),
      ]),
    )
    // The runs were made with sudo, so the password was needed (and typed) all along.
    const exported = files.find((file) => file.includes('/exported/')) as string
    expect(await readFile(exported, 'utf8')).toContain(`host:     ${SUDOER.name}@`)
    expect(await readFile(exported, 'utf8')).toContain('(as root) $ ')

    const forms = [SUDOER.password, encodeURIComponent(SUDOER.password)]
    for (const file of files) {
      const content = await readFile(file, 'utf8')
      for (const form of forms)
        expect(content.includes(form), `${file} holds the password`).toBe(false)
    }
    expect(pages.length).toBe(8)
    for (const html of pages) for (const form of forms) expect(html.includes(form)).toBe(false)
  })
})
