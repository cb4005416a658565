import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SiteStore } from '../../../src-main/app-data/site-store'
import { AppSession } from '../../../src-main/app/app-session'
import type { OpenHost } from '../../../src-main/app/host-connections'
import { loadSiteFile } from '../../../src-main/engine/site-file'
import type { SshTarget } from '#shared/site'
import type { RemoteHost } from '../../../src-main/engine/ssh/remote-host'
import type { SessionEvent } from '#shared/ipc/contract'

const PASSWORD = 'Tr0ub4dor-&-3-secret'
const TARGET: SshTarget = { host: '10.0.0.5', port: 22, user: 'ops', auth: 'password' }
const SERVE = { listen: '10.0.0.5:8080', location: '/pypi/' }

/** A host whose every command fails, quoting the password as a careless tool would. */
const openLeakyHost: OpenHost = async (target) => {
  const fail = (): Promise<never> =>
    Promise.reject(new Error(`sudo: the password ${PASSWORD} was not accepted`))
  return {
    label: `${target.user}@${target.host}:${target.port}`,
    target,
    hostKey: { host: target.host, port: target.port, keyType: 'ssh-ed25519', fingerprint: 'x' },
    isConnected: true,
    onEvent: () => () => undefined,
    exec: fail,
    run: fail,
    script: fail,
    read: fail,
    readScript: fail,
    identity: fail,
    setGuard: () => null,
    close: () => undefined,
  } as unknown as RemoteHost
}

let dataDir: string
let events: SessionEvent[]
const sessions: AppSession[] = []

async function newSession(): Promise<AppSession> {
  const session = await AppSession.open({
    dataDir,
    emit: (event) => events.push(event),
    openHost: openLeakyHost,
  })
  sessions.push(session)
  return session
}

async function everythingWritten(): Promise<string> {
  const entries = await readdir(dataDir, { recursive: true, withFileTypes: true })
  const files = entries.filter((entry) => entry.isFile())
  return (
    await Promise.all(files.map((entry) => readFile(join(entry.parentPath, entry.name), 'utf8')))
  ).join('\n')
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pmw-sites-session-'))
  events = []
})

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.dispose()))
  await rm(dataDir, { recursive: true, force: true })
})

describe('sites saved by the wizard', () => {
  it('are saved once they have a host, packages and an address, as the JSON the CLI reads', async () => {
    const session = await newSession()
    expect(
      (
        await session.connections.connect({
          target: TARGET,
          secrets: { password: PASSWORD },
          remember: false,
        })
      ).kind,
    ).toBe('connected')
    await session.wizard.updateSite({ requirements: ['alpha'], directory: '/srv/lab' })
    const before = await session.sites.list()
    expect(before.sites).toEqual([])
    expect(before.drafts).toHaveLength(1)

    await session.wizard.updateSite({ serve: SERVE })
    const { sites, drafts } = await session.sites.list()
    expect(drafts).toEqual([])
    expect(sites).toEqual([
      expect.objectContaining({
        host: '10.0.0.5',
        directory: '/srv/lab',
        url: 'http://10.0.0.5:8080/pypi',
        setup: expect.objectContaining({ verified: false }),
      }),
    ])
    const id = sites[0]?.id as string
    const snapshot = await session.snapshot()
    expect(snapshot).toMatchObject({ siteId: id, wizardKey: id })
    expect(events).toContainEqual({ kind: 'site-saved', siteId: id })
    const site = await loadSiteFile(new SiteStore(dataDir).fileOf(id))
    expect(site.mirror).toMatchObject({ ssh: TARGET, requirements: ['alpha'], serve: SERVE })
    expect(await readdir(join(dataDir, 'wizard-progress'))).toEqual([`${id}.json`])

    await session.wizard.updateSite({ requirements: ['alpha', 'beta'] })
    expect((await session.sites.list()).sites.map((s) => s.id)).toEqual([id])
    expect((await loadSiteFile(new SiteStore(dataDir).fileOf(id))).mirror.requirements).toEqual([
      'alpha',
      'beta',
    ])
  })

  it('open a saved site with its draft, and keep what the wizard does not edit', async () => {
    const saved = await new SiteStore(dataDir).save({
      name: 'Lab mirror',
      mirror: {
        ssh: TARGET,
        requirements: ['alpha'],
        platforms: ['linux', 'windows'],
        serve: SERVE,
      },
    })
    const session = await newSession()
    const snapshot = await session.openSite({ siteId: saved.id })
    expect(snapshot).toMatchObject({
      siteId: saved.id,
      site: { ssh: TARGET, requirements: ['alpha'], serve: SERVE },
      connection: { state: 'disconnected', label: 'ops@10.0.0.5:22' },
    })
    await session.wizard.updateSite({ requirements: ['alpha', 'gamma'] })
    const site = await new SiteStore(dataDir).load(saved.id)
    expect(site).toMatchObject({
      name: 'Lab mirror',
      mirror: { platforms: ['linux', 'windows'], requirements: ['alpha', 'gamma'] },
    })
    await expect(session.requireOpenSite('another-site')).rejects.toThrow(/not the one open/)
    await session.requireOpenSite(saved.id)
  })

  it('are forgotten with their progress, and a new site starts empty', async () => {
    const saved = await new SiteStore(dataDir).save({
      mirror: { ssh: TARGET, requirements: ['alpha'], serve: SERVE },
    })
    const session = await newSession()
    await session.openSite({ siteId: saved.id })
    await session.wizard.saveWizard({ step: 'serve', completed: ['connect'] })
    const after = await session.forgetSite({ siteId: saved.id })
    expect(after.sites).toEqual([])
    expect(await readdir(join(dataDir, 'wizard-progress'))).toEqual([])
    const fresh = await session.snapshot()
    expect(fresh.siteId).toBeNull()
    expect(fresh.site.ssh).toBeUndefined()
  })
})

describe('the activity history of the wizard', () => {
  it('records each run, and no file or event holds the passwords the session was given', async () => {
    const session = await newSession()
    await session.connections.connect({
      target: TARGET,
      secrets: { password: PASSWORD, sudoPassword: PASSWORD },
      remember: false,
    })
    expect((await session.stages.startRun({ stage: 'check', mode: 'plan' })).kind).toBe('started')
    await expect.poll(() => events.some((event) => event.kind === 'run-finished')).toBe(true)

    const runs = await session.history.list()
    expect(runs).toEqual([
      expect.objectContaining({ face: 'wizard', action: 'check', status: 'failed' }),
    ])
    const run = await session.history.get(runs[0]?.id as string)
    expect(run?.error).toContain('[REDACTED]')
    expect(run?.commands.map((line) => line.line).join('\n')).toContain('$ sh -c')
    const finished = events.find((event) => event.kind === 'run-finished')
    expect(JSON.stringify(finished)).toContain('[REDACTED]')

    await session.dispose()
    expect(JSON.stringify(events)).not.toContain(PASSWORD)
    expect(await everythingWritten()).not.toContain(PASSWORD)
  })
})
