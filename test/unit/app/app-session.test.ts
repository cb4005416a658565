import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AppSession, type AppSessionOptions } from '../../../src-main/app/app-session'
import type { OpenHost } from '../../../src-main/app/host-connections'
import { HostKeyChangedError, UnknownHostKeyError } from '../../../src-main/engine/ssh/host-keys'
import type { RemoteHost } from '../../../src-main/engine/ssh/remote-host'
import type { SshTarget } from '#shared/site'
import type { SessionEvent } from '#shared/ipc/contract'

const PASSWORD = 'hunter2-very-secret'
const FINGERPRINT = `SHA256:${'A'.repeat(43)}`
const KEY = { host: '10.0.0.5', port: 22, keyType: 'ssh-ed25519', fingerprint: FINGERPRINT }
const TARGET = { host: '10.0.0.5', port: 22, user: 'ops', auth: 'password' as const }

/** What the session uses of a RemoteHost; commands never answer until the host is closed. */
function fakeHost(target: SshTarget = TARGET): RemoteHost {
  let connected = true
  const pending: ((error: Error) => void)[] = []
  const hang = (): Promise<never> =>
    new Promise((_resolve, reject) => {
      pending.push(reject)
    })
  return {
    label: `${target.user}@${target.host}:${target.port}`,
    target,
    hostKey: KEY,
    get isConnected() {
      return connected
    },
    onEvent: () => () => undefined,
    exec: hang,
    run: hang,
    script: hang,
    read: hang,
    readScript: hang,
    identity: hang,
    setGuard: () => null,
    close() {
      connected = false
      for (const reject of pending.splice(0)) reject(new Error('The SSH connection was lost'))
    },
  } as unknown as RemoteHost
}

/** The engine's host-key decisions, as RemoteHost.connect would make them. */
function hostThatAsksFirst(known: { fingerprint?: string } = {}) {
  const calls: Parameters<OpenHost>[] = []
  const open: OpenHost = async (target, options) => {
    calls.push([target, options])
    if (known.fingerprint && known.fingerprint !== KEY.fingerprint)
      throw new HostKeyChangedError(
        KEY,
        [`ssh-ed25519 ${known.fingerprint}`],
        options.trust.knownHostsPath,
      )
    if (!known.fingerprint && options.trust.acceptFingerprint !== KEY.fingerprint)
      throw new UnknownHostKeyError(KEY)
    known.fingerprint = KEY.fingerprint
    return fakeHost(target)
  }
  return { open, calls }
}

let dataDir: string
let events: SessionEvent[]
const sessions: AppSession[] = []

async function newSession(options: Partial<AppSessionOptions> = {}): Promise<AppSession> {
  const session = await AppSession.open({
    dataDir,
    emit: (event) => events.push(event),
    ...options,
  })
  sessions.push(session)
  return session
}

async function everythingWritten(): Promise<string> {
  const names = await readdir(dataDir, { recursive: true, withFileTypes: true })
  const files = names.filter((entry) => entry.isFile())
  const texts = await Promise.all(
    files.map((entry) => readFile(join(entry.parentPath, entry.name), 'utf8')),
  )
  return texts.join('\n')
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pmw-session-'))
  events = []
})

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.dispose()))
  await rm(dataDir, { recursive: true, force: true })
})

describe('connecting', () => {
  it('hands an unknown host key back for confirmation and trusts exactly that fingerprint', async () => {
    const host = hostThatAsksFirst()
    const session = await newSession({ openHost: host.open })
    const first = await session.connections.connect({
      target: TARGET,
      secrets: { password: PASSWORD },
      remember: false,
    })
    expect(first).toEqual({
      kind: 'unknown-key',
      ...KEY,
      checkCommand: 'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub',
    })
    expect((await session.snapshot()).connection.state).toBe('disconnected')

    const wrong = await session.connections.trust({ fingerprint: `SHA256:${'B'.repeat(43)}` })
    expect(wrong.kind).toBe('failed')

    const again = await session.connections.connect({
      target: TARGET,
      secrets: { password: PASSWORD },
      remember: false,
    })
    expect(again.kind).toBe('unknown-key')
    const trusted = await session.connections.trust({ fingerprint: FINGERPRINT })
    expect(trusted).toMatchObject({
      kind: 'connected',
      connection: { state: 'connected', label: 'ops@10.0.0.5:22', hasSecrets: true },
    })
    expect(host.calls.at(-1)?.[1]).toMatchObject({
      credentials: { password: PASSWORD },
      trust: { acceptFingerprint: FINGERPRINT, knownHostsPath: join(dataDir, 'known_hosts') },
    })
    expect(events).toContainEqual({
      kind: 'connection',
      connection: expect.objectContaining({ state: 'connected' }),
    })
  })

  it('refuses a changed key and shows both fingerprints', async () => {
    const known = `SHA256:${'Z'.repeat(43)}`
    const session = await newSession({ openHost: hostThatAsksFirst({ fingerprint: known }).open })
    expect(
      await session.connections.connect({ target: TARGET, secrets: {}, remember: false }),
    ).toEqual({
      kind: 'changed-key',
      host: KEY.host,
      port: KEY.port,
      offered: { keyType: KEY.keyType, fingerprint: FINGERPRINT },
      known: [`ssh-ed25519 ${known}`],
      knownHostsPath: join(dataDir, 'known_hosts'),
    })
  })

  it('never writes a password, and never sends one back', async () => {
    const host = hostThatAsksFirst({ fingerprint: FINGERPRINT })
    const session = await newSession({ openHost: host.open })
    await session.connections.connect({
      target: TARGET,
      secrets: { password: PASSWORD, sudoPassword: PASSWORD },
      remember: true,
    })
    await session.wizard.saveWizard({ step: 'check-host', completed: ['connect'] })
    const snapshot = await session.snapshot()
    expect(JSON.stringify(snapshot)).not.toContain(PASSWORD)
    expect(JSON.stringify(events)).not.toContain(PASSWORD)
    await session.dispose()
    expect(await everythingWritten()).not.toContain(PASSWORD)
  })

  it('reconnects with the secrets it still holds', async () => {
    const host = hostThatAsksFirst({ fingerprint: FINGERPRINT })
    const session = await newSession({ openHost: host.open })
    await session.connections.connect({
      target: TARGET,
      secrets: { password: PASSWORD },
      remember: false,
    })
    await session.connections.disconnect()
    expect((await session.snapshot()).connection.state).toBe('disconnected')
    expect((await session.connections.reconnect()).kind).toBe('connected')
    expect(host.calls.at(-1)?.[1].credentials).toEqual({ password: PASSWORD })
  })
})

describe('progress', () => {
  it('resumes on the saved step with the saved site after a restart', async () => {
    const session = await newSession({
      openHost: hostThatAsksFirst({ fingerprint: FINGERPRINT }).open,
    })
    await session.connections.connect({ target: TARGET, secrets: {}, remember: false })
    await session.wizard.updateSite({ requirements: ['alpha'], directory: '/srv/mirror' })
    await session.wizard.saveWizard({ step: 'packages', completed: ['connect', 'check-host'] })
    const { wizardKey } = await session.snapshot()
    await session.dispose()

    // The app starts on the list of sites; the setup is opened from there.
    const reopened = await newSession()
    expect((await reopened.snapshot()).wizard.step).toBe('connect')
    const listed = await reopened.sites.list()
    expect(listed.drafts).toEqual([
      expect.objectContaining({
        key: wizardKey,
        host: 'ops@10.0.0.5:22',
        directory: '/srv/mirror',
      }),
    ])
    const snapshot = await reopened.openSite({ siteId: wizardKey })
    expect(snapshot.wizard).toEqual({ step: 'packages', completed: ['connect', 'check-host'] })
    expect(snapshot.site).toMatchObject({
      ssh: TARGET,
      requirements: ['alpha'],
      directory: '/srv/mirror',
    })
    expect(snapshot.connection).toMatchObject({
      state: 'disconnected',
      label: 'ops@10.0.0.5:22',
      hostKey: { fingerprint: FINGERPRINT },
    })
    expect(snapshot.dataDir).toBe(dataDir)
  })

  it('gives the mirror URL once the site has an address', async () => {
    const session = await newSession()
    await session.wizard.updateSite({ ssh: TARGET })
    expect((await session.wizard.updateSite({ requirements: ['alpha'] })).mirrorUrl).toBeNull()
    expect(
      (await session.wizard.updateSite({ serve: { listen: '10.0.0.5:8080', location: '/pypi/' } }))
        .mirrorUrl,
    ).toBe('http://10.0.0.5:8080/pypi')
  })
})

describe('runs', () => {
  it('refuses to start without a connection, or without packages, saying what to do', async () => {
    const session = await newSession({
      openHost: hostThatAsksFirst({ fingerprint: FINGERPRINT }).open,
    })
    await session.wizard.updateSite({ ssh: TARGET })
    const offline = await session.stages.startRun({ stage: 'check', mode: 'plan' })
    expect(offline).toMatchObject({
      kind: 'refused',
      error: { hint: expect.stringMatching(/connect/i) },
    })
    await session.connections.connect({ target: TARGET, secrets: {}, remember: false })
    expect(await session.stages.startRun({ stage: 'packages', mode: 'plan' })).toMatchObject({
      kind: 'refused',
      error: { message: 'There are no packages to resolve yet' },
    })
  })

  it('runs one stage at a time per host', async () => {
    const session = await newSession({
      openHost: hostThatAsksFirst({ fingerprint: FINGERPRINT }).open,
    })
    await session.connections.connect({ target: TARGET, secrets: {}, remember: false })
    const first = await session.stages.startRun({ stage: 'check', mode: 'plan' })
    expect(first.kind).toBe('started')
    expect(await session.stages.startRun({ stage: 'serve', mode: 'plan' })).toMatchObject({
      kind: 'refused',
      error: { message: expect.stringContaining('already under way') },
    })
    expect((await session.snapshot()).activeRun).toMatchObject({ stage: 'check', mode: 'plan' })
  })

  it('keeps a run marked when the app closes during it, so the next start can reattach', async () => {
    const session = await newSession({
      openHost: hostThatAsksFirst({ fingerprint: FINGERPRINT }).open,
    })
    await session.connections.connect({ target: TARGET, secrets: {}, remember: false })
    await session.wizard.updateSite({ requirements: ['alpha'] })
    const started = await session.stages.startRun({ stage: 'mirror', mode: 'apply' })
    await session.dispose()

    const snapshot = await (await newSession()).snapshot()
    expect(snapshot.activeRun).toBeNull()
    expect(snapshot.interruptedRun).toMatchObject({
      runId: started.kind === 'started' ? started.runId : '',
      stage: 'mirror',
      mode: 'apply',
    })
  })

  it('records a finished run and reports it, connection loss included', async () => {
    const session = await newSession({
      openHost: hostThatAsksFirst({ fingerprint: FINGERPRINT }).open,
    })
    await session.connections.connect({ target: TARGET, secrets: {}, remember: false })
    await session.stages.startRun({ stage: 'check', mode: 'plan' })
    await session.connections.disconnect()
    await expect.poll(() => events.some((event) => event.kind === 'run-finished')).toBe(true)
    const finished = events.find((event) => event.kind === 'run-finished')
    expect(finished).toMatchObject({
      record: {
        stage: 'check',
        status: 'failed',
        error: { message: expect.stringMatching(/lost/) },
      },
    })
    const snapshot = await session.snapshot()
    expect(snapshot.stages.check?.status).toBe('failed')
    expect(snapshot.activeRun).toBeNull()
    expect(snapshot.interruptedRun).toBeNull()
    expect(snapshot.commands).toContainEqual(
      expect.objectContaining({ stage: 'check', step: 'facts', readOnly: true }),
    )
  })
})

describe('worker hosts', () => {
  const WORKER = {
    ssh: { host: '10.0.0.21', port: 22, user: 'root', identityFile: '/keys/id' },
    workerDir: '/srv/ol/worker',
    ol: 'ol',
    baseImage: 'ol-min',
  }

  it('asks about a worker’s host key, then adds the worker; removing it changes only the site', async () => {
    const session = await newSession({ openHost: hostThatAsksFirst().open })
    expect(
      await session.connections.addWorker({
        worker: WORKER,
        secrets: { sudoPassword: PASSWORD },
        remember: false,
      }),
    ).toMatchObject({
      kind: 'unknown-key',
      fingerprint: FINGERPRINT,
    })
    expect((await session.snapshot()).site.workers).toEqual([])
    const added = await session.connections.trustWorker({ fingerprint: FINGERPRINT })
    expect(added).toMatchObject({ kind: 'added', site: { workers: [WORKER] } })
    expect(JSON.stringify(added)).not.toContain(PASSWORD)
    const site = await session.connections.removeWorker({
      label: 'root@10.0.0.21:22:/srv/ol/worker',
    })
    expect(site.workers).toEqual([])
  })

  it('refuses to set up workers before any is added', async () => {
    const session = await newSession()
    await session.wizard.updateSite({ ssh: TARGET })
    expect(await session.stages.startRun({ stage: 'workers', mode: 'plan' })).toMatchObject({
      kind: 'refused',
      error: { message: 'No worker hosts have been added yet' },
    })
  })

  it('reports each worker host’s failure on its own line', async () => {
    const session = await newSession({
      openHost: async () => {
        throw new Error('connect ECONNREFUSED 10.0.0.21:22')
      },
    })
    await session.wizard.updateSite({
      ssh: TARGET,
      serve: { listen: '10.0.0.5:8080', location: '/pypi/' },
      workers: [WORKER],
    })
    expect((await session.stages.startRun({ stage: 'workers', mode: 'plan' })).kind).toBe('started')
    await expect.poll(() => events.some((event) => event.kind === 'run-finished')).toBe(true)
    const record = (await session.snapshot()).stages.workers
    expect(record).toMatchObject({
      status: 'failed',
      error: { message: '1 of 1 workers failed: root@10.0.0.21:22:/srv/ol/worker' },
      fleet: { hosts: [{ state: 'failed', line: expect.stringContaining('ECONNREFUSED') }] },
    })
    expect(events).toContainEqual(
      expect.objectContaining({
        kind: 'fleet-event',
        event: expect.objectContaining({ type: 'fleet-host-status', state: 'connecting' }),
      }),
    )
  })
})
