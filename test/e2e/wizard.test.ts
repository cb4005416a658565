import { readFileSync } from 'node:fs'
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { loadSiteFile } from '../../src-main/engine/site-file'
import { ensureCliBuilt, runPipMirror } from '../testbed/cli'
import { startMirrorHostBed, type MirrorHostBed } from '../testbed/mirror-host'
import { installOlStandin } from '../testbed/worker-hosts'
import { openApp, type OpenedApp } from './harness'
import { pageHelpers } from './page-helpers'

/**
 * The whole wizard in Chromium, the built renderer and the real preload, with the handlers and
 * the app session running the real engine against the test bed: a real sshd (root logs in with
 * a key), the pypi.org stand-in, bandersnatch, uv, the machine's nginx and pip. Each test is one
 * page, in order, and leaves a screenshot in test/e2e/screenshots/.
 */

const LONG = 180_000
const APP_VERSION = (
  JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as {
    version: string
  }
).version

let bed: MirrorHostBed
let site: Awaited<ReturnType<MirrorHostBed['newSite']>>
let app: OpenedApp
const { byTestId, inputOf, heading, visible, goOn, resolvePackages, awaitClosure } = pageHelpers(
  () => app,
  30_000,
)
let dataDir: string
let sshConfigPath: string
const savedScripts: string[] = []
const clipboard: string[] = []

function open(): Promise<OpenedApp> {
  return openApp({
    session: { dataDir, sshConfigPath },
    deps: {
      appVersion: APP_VERSION,
      saveTextFile: async (name, text) => {
        const path = join(dataDir, `exported-${name}`)
        await writeFile(path, text)
        savedScripts.push(path)
        return path
      },
      writeClipboard: (text) => void clipboard.push(text),
    },
  })
}

async function showCommands(): Promise<void> {
  await byTestId('show-commands').click()
  await visible(byTestId('commands'))
}

beforeAll(async () => {
  bed = await startMirrorHostBed()
  site = await bed.newSite()
  dataDir = await mkdtemp(join(tmpdir(), 'pmw-wizard-data-'))
  sshConfigPath = join(bed.work, 'ssh_config')
  await writeFile(
    sshConfigPath,
    `Host testbed\n  HostName ${bed.sshd.host}\n  Port ${bed.sshd.port}\n  User root\n  IdentityFile ${bed.key.path}\n`,
  )
  app = await open()
}, LONG)

afterEach(async ({ task }) => {
  if (task.result?.state !== 'fail' || !app) return
  const name = task.name.replace(/[^\w]+/g, '-').slice(0, 60)
  await app.screenshot(`failed-${name}`).catch(() => undefined)
})

afterAll(async () => {
  await app?.close()
  await bed?.stop()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

describe('the wizard, against a real host', () => {
  it('connects once the operator has confirmed the host key fingerprint', async () => {
    // The app opens on the list of sites; a new site starts the wizard.
    await expect.poll(heading).toBe('Your mirrors')
    await visible(byTestId('no-sites'))
    await byTestId('new-site').click()
    await expect.poll(heading).toBe('Connect')
    await byTestId('ssh-config-hosts').click()
    await expect
      .poll(() => app.page.locator('.n-base-select-option').allTextContents())
      .toContain(`testbed (${bed.sshd.host})`)
    await app.page.keyboard.press('Escape')

    await inputOf('host').fill(bed.sshd.host)
    await inputOf('port').fill(String(bed.sshd.port))
    await inputOf('user').fill('root')
    await inputOf('identity-file').fill(bed.key.path)
    await app.screenshot('wizard-1-connect')
    await byTestId('connect').click()

    const dialog = byTestId('host-key-dialog')
    await visible(dialog)
    expect(await byTestId('host-key-fingerprint').textContent()).toBe(bed.sshd.hostKeyFingerprint)
    // Nothing is trusted before the operator says so.
    await expect(readFile(join(dataDir, 'known_hosts'), 'utf8')).rejects.toThrow()
    await app.screenshot('wizard-1-connect-host-key')
    await byTestId('host-key-trust').click()

    await visible(byTestId('connected'))
    expect(await byTestId('connection-bar').textContent()).toContain(
      `root@${bed.sshd.host}:${bed.sshd.port}`,
    )
    expect(await readFile(join(dataDir, 'known_hosts'), 'utf8')).toContain('ssh-ed25519')
  })

  it('shows the host facts as a card, with nothing blocking', async () => {
    await goOn('Check the host')
    await visible(byTestId('check-verdict'))
    const card = await byTestId('facts-card').textContent()
    expect(card).toMatch(/Python 3\.\d+/)
    expect(card).toContain('logged in as root')
    expect(card).toMatch(/free/)
    expect(await byTestId('check-verdict').textContent()).toContain('The host can take the mirror')
    await showCommands()
    expect(await byTestId('commands').textContent()).toContain('read-only')
    await app.screenshot('wizard-2-check-host')
  })

  it(
    'resolves alpha into its closure, with beta as a dependency, before mirroring',
    async () => {
      await goOn('Choose packages')
      await resolvePackages({
        requirements: 'alpha',
        directory: site.directory,
        upstream: bed.upstream.url,
      })

      // On a host without the resolver, its installation is shown and confirmed first.
      await awaitClosure(LONG, async () => {
        expect(await byTestId('tools-plan').textContent()).toContain('bandersnatch')
      })
      const closure = byTestId('closure')
      await expect.poll(() => closure.locator('tbody tr').count()).toBeGreaterThanOrEqual(2)
      const alpha = closure.getByRole('row', { name: /^alpha / })
      const beta = closure.getByRole('row', { name: /^beta / })
      expect(await alpha.textContent()).toContain('you asked for it')
      expect(await beta.textContent()).toMatch(/needed by alpha/)
      expect(await beta.textContent()).toContain('2.0')
      await app.screenshot('wizard-3-packages')
    },
    LONG,
  )

  it(
    'shows the bandersnatch config as a diff, then mirrors with progress and a live log',
    async () => {
      await goOn('Mirror')
      await visible(byTestId('config-diff'), LONG)
      const diff = await byTestId('config-diff').textContent()
      expect(diff).toContain('project_requirements_pinned')
      expect(diff).toContain(`+directory = ${site.directory}`)
      await app.screenshot('wizard-4-mirror-plan')

      await byTestId('start-mirroring').click()
      await visible(byTestId('mirrored'), LONG)
      expect(await byTestId('sync-progress').textContent()).toContain('100%')
      const log = byTestId('mirror-log')
      expect(Number(await log.getAttribute('data-lines'))).toBeGreaterThan(10)
      expect(await log.textContent()).toMatch(/verify|index page|pinned releases|Storing/)
      await showCommands()
      expect(await byTestId('commands').textContent()).toContain('bandersnatch')
      await app.screenshot('wizard-4-mirror')
    },
    LONG,
  )

  it(
    'serves on 127.0.0.1 only after the loopback warning is accepted',
    async () => {
      await goOn('Serve')
      await byTestId('listen-address').locator('label', { hasText: '127.0.0.1' }).click()
      await visible(byTestId('loopback-warning'))
      expect(await byTestId('plan-serve').isDisabled()).toBe(true)
      await byTestId('accept-loopback').click()
      await inputOf('serve-port').fill(String(site.port))
      await byTestId('plan-serve').click()

      await visible(byTestId('nginx-diff'), LONG)
      expect(await byTestId('nginx-diff').textContent()).toContain(`listen 127.0.0.1:${site.port}`)
      await byTestId('serve').click()
      await visible(byTestId('served'), LONG)
      await app.screenshot('wizard-5-serve')
      const answer = await fetch(`http://127.0.0.1:${site.port}/pypi/simple/alpha/`)
      expect(answer.status).toBe(200)
    },
    LONG,
  )

  it(
    'verifies that pip installs every pinned release on every target',
    async () => {
      await goOn('Verify & repair')
      await visible(byTestId('verified'), LONG)
      expect(await byTestId('matrix-summary').textContent()).toContain('All')
      const results = await byTestId('target-matrix').textContent()
      expect(results).toContain('CPython 3.11, Linux x86_64 (glibc 2.35)')
      expect(results).toContain('alpha==1.1')
      expect(results).toContain('beta==2.0')
      await app.screenshot('wizard-6-verify')
    },
    LONG,
  )

  it(
    'finds the 403 after the mirror directory is closed, shows the repair, and repairs it',
    async () => {
      await chmod(site.directory, 0o700)
      await byTestId('verify-again').click()
      await visible(byTestId('forbidden'), LONG)
      // The simple index itself is refused, so no package gets further than that.
      expect(await byTestId('error-panel').textContent()).toMatch(/simple\/ answers (HTTP )?403/)

      await byTestId('diagnose').click()
      await visible(byTestId('repair-plan'), LONG)
      expect(await byTestId('doctor').textContent()).toContain(site.directory)
      expect(await byTestId('repair-plan').textContent()).toContain(`o+x on ${site.directory} `)
      await app.screenshot('wizard-6-verify-403-doctor')

      await byTestId('repair').click()
      await visible(byTestId('verified'), LONG)
      expect((await stat(site.directory)).mode & 0o001).toBe(0o001)
      await app.screenshot('wizard-6-verify-repaired')
      // The README's picture of the wizard: PIP_MIRROR_DOCS_SCREENSHOT=1 npx vitest run --project e2e
      if (process.env.PIP_MIRROR_DOCS_SCREENSHOT)
        await app.page.screenshot({ path: join(import.meta.dirname, '../../docs/wizard.png') })
    },
    LONG,
  )

  it(
    "adds a worker host (OpenLambda's `ol`: the stand-in) and refuses to point it at a loopback mirror, saying why",
    async () => {
      await goOn('Workers')
      expect(await inputOf('pip-mirror-value').inputValue()).toBe(
        `http://127.0.0.1:${site.port}/pypi`,
      )
      const ol = await installOlStandin(bed.work)
      await inputOf('worker-hosts').fill(`root@${bed.sshd.host}:${bed.sshd.port}`)
      await inputOf('worker-key').fill(bed.key.path)
      await inputOf('worker-dir').fill(join(bed.work, 'worker'))
      await inputOf('worker-ol').fill(ol)
      await byTestId('add-workers').click()
      // The worker host is the mirror host here: its key is already trusted, so no question.
      await visible(byTestId('worker-list'))
      expect(await byTestId('worker-list').textContent()).toContain(
        `${bed.sshd.host}:${bed.sshd.port}:`,
      )

      await byTestId('plan-workers').click()
      await expect
        .poll(() => byTestId('worker-status').textContent(), { timeout: LONG })
        .toMatch(/failed.*FAILED/)
      expect(await byTestId('worker-status').textContent()).toContain('loopback')
      expect(await byTestId('error-panel').textContent()).toContain('1 of 1 workers failed')
      await app.screenshot('wizard-7-workers')
      await byTestId('continue').click()
      await expect.poll(heading).toBe('Done')
    },
    LONG,
  )

  it('ends with the mirror URL and a shell script of everything that ran', async () => {
    await visible(byTestId('ready'))
    expect(await inputOf('mirror-url').inputValue()).toBe(
      `http://127.0.0.1:${site.port}/pypi/simple`,
    )
    await byTestId('export-script').click()
    await visible(byTestId('script'))
    const script = (await byTestId('script').textContent()) ?? ''
    expect(script).toMatch(/^#!\/bin\/sh/)
    expect(script).toContain('venv/bin/bandersnatch')
    expect(script).toContain('nginx -t')
    expect(script).toMatch(/# == Repair permissions: permissions/)
    expect(script).toContain(` o+x ${site.directory}`)
    expect(script).toContain(`# wrote ${site.directory}/bandersnatch.conf`)
    await byTestId('save-script').click()
    await expect.poll(() => savedScripts.length).toBe(1)
    const withoutTime = (text: string): string => text.replace(/^# Exported .*$/m, '')
    expect(withoutTime(await readFile(savedScripts[0] as string, 'utf8'))).toBe(withoutTime(script))
    await app.screenshot('wizard-8-done')
  })

  it('saved the site once it had an address, as the file pip-mirror runs unchanged', async () => {
    await ensureCliBuilt()
    const [file] = await readdir(join(dataDir, 'sites'))
    const siteFile = join(dataDir, 'sites', file as string)
    const saved = await loadSiteFile(siteFile)
    expect(saved.mirror).toMatchObject({
      directory: site.directory,
      serve: { listen: `127.0.0.1:${site.port}`, location: '/pypi/' },
      requirements: ['alpha'],
    })
    // Workers are left out: the one added above is refused for the loopback mirror, by design.
    const planned = await runPipMirror([
      'plan',
      '--site',
      siteFile,
      '--only',
      'mirror',
      '--known-hosts',
      join(dataDir, 'known_hosts'),
    ])
    expect(planned.code, `${planned.stdout}\n${planned.stderr}`).toBe(0)
  })

  it('resumes on the same step, reconnected, after the app is closed and opened again', async () => {
    await app.close()
    const [progressFile] = await readdir(join(dataDir, 'wizard-progress'))
    const progress = await readFile(
      join(dataDir, 'wizard-progress', progressFile as string),
      'utf8',
    )
    expect(JSON.parse(progress)).toMatchObject({ wizard: { step: 'done' } })
    app = await open()
    await expect.poll(heading).toBe('Your mirrors')
    await byTestId('site-card').getByTestId('open-setup').click()
    await expect.poll(heading).toBe('Done')
    expect(app.page.url()).toContain('#/done')
    await expect
      .poll(() => byTestId('connection-bar').textContent(), { timeout: 30_000 })
      .toContain('Connected to')
    expect(await inputOf('mirror-url').inputValue()).toBe(
      `http://127.0.0.1:${site.port}/pypi/simple`,
    )
    expect(app.problems).toEqual([])
    await app.screenshot('wizard-9-resumed')
  })
})
