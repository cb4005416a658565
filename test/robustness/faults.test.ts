import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rmdir } from 'node:fs/promises'
import { RemoteHost } from '../../src-main/engine/ssh/remote-host'
import { runSteps, type RunEvent, type RunSummary } from '../../src-main/engine/run'
import { MIRROR_STEPS } from '../../src-main/engine/steps/mirror-steps'
import { parseSite, type Site, type SiteInput, type SshTarget } from '#shared/site'
import { bandersnatchConfFor } from '../../src-main/engine/steps/bandersnatch-config'
import { nginxSiteFor, nginxSitePaths } from '../../src-main/engine/steps/nginx'
import { requirementsInText } from '../../src-main/engine/steps/resolve-requirements'
import { mirrorLayout } from '../../src-main/engine/steps/mirror-layout'
import { startMirrorHostBed, type MirrorHostBed } from '../testbed/mirror-host'
import { startLatencyProxy, type LatencyProxy } from '../testbed/latency-proxy'
import { startPypiStandin, type PypiStandin } from '../testbed/pypi-standin'
import { ensureTestUsers, SUDOER } from '../testbed/users'
import { sh, waitFor } from '../testbed/processes'

/**
 * Faults injected into real runs: the SSH connection cut at every step boundary and in the
 * middle of every file write, a full disk during the sync, bandersnatch killed, nginx -t failing,
 * sudo refusing. After each: no managed file is half-written, nginx serves what it served before,
 * and a fresh apply converges to a verified mirror.
 */
let bed: MirrorHostBed
let relay: LatencyProxy
let slow: PypiStandin
const survived: string[] = []

beforeAll(async () => {
  await ensureTestUsers()
  bed = await startMirrorHostBed()
  relay = await startLatencyProxy({ host: bed.sshd.host, port: bed.sshd.port }, 0)
  slow = await startPypiStandin({ fileDelaySeconds: 2 })
})

afterAll(async () => {
  await relay?.stop()
  await slow?.stop()
  await bed?.stop()
  console.log(`faults injected and survived: ${survived.length}\n  ${survived.join('\n  ')}`)
})

async function connect(target: SshTarget, credentials = {}): Promise<RemoteHost> {
  return RemoteHost.connect(target, {
    credentials,
    trust: {
      knownHostsPath: `${bed.work}/faults_known_hosts`,
      acceptFingerprint: bed.sshd.hostKeyFingerprint,
    },
  })
}

async function apply(
  site: Site,
  host: RemoteHost,
  onEvent: (e: RunEvent) => void = () => undefined,
): Promise<RunSummary> {
  return runSteps(MIRROR_STEPS, host, site, { mode: 'apply' }, onEvent)
}

/** Every file the steps manage is either absent or exactly what the step writes: never partial. */
async function expectNoHalfWrittenFiles(site: Site): Promise<void> {
  const layout = mirrorLayout(site.mirror)
  const expected: [string, string][] = [
    [layout.requirementsIn, requirementsInText(site.mirror.requirements ?? [])],
    [layout.conf, bandersnatchConfFor(site.mirror)],
    [nginxSitePaths(site.mirror).available, nginxSiteFor(site.mirror)],
  ]
  for (const [path, content] of expected)
    if (existsSync(path)) expect(await readFile(path, 'utf8'), path).toBe(content)
}

/** A fresh connection and a fresh apply reach the verified state. */
async function expectConverges(
  site: Site,
  credentials = {},
  target = site.mirror.ssh,
): Promise<void> {
  const host = await connect(target, credentials)
  try {
    const summary = await apply(site, host)
    expect(summary.error ?? '', 'a re-run converges').toBe('')
    expect(summary.steps.at(-1)?.status).toBe('ok')
  } finally {
    host.close()
  }
}

async function newSite(
  overrides: Parameters<MirrorHostBed['newSite']>[0] = {},
): Promise<{ site: Site; viaRelay: Site; directory: string; port: number }> {
  const created = await bed.newSite(overrides)
  const site = parseSite(created.input as SiteInput)
  return {
    ...created,
    site,
    viaRelay: {
      ...site,
      mirror: { ...site.mirror, ssh: { ...site.mirror.ssh, port: relay.port } },
    },
  }
}

describe('the connection cut at every step boundary', () => {
  const boundaries = MIRROR_STEPS.slice(0, -1).map((s) => s.id)
  it.each(boundaries)('cut after %s: nothing half-written, a re-run converges', async (stepId) => {
    const { site, viaRelay } = await newSite()
    const host = await connect(viaRelay.mirror.ssh)
    const summary = await apply(viaRelay, host, (event) => {
      if (event.type === 'step-done' && event.step === stepId) relay.cut()
    })
    host.close()
    expect(summary.status).toBe('failed')
    expect(summary.error).toMatch(
      /connection was lost|Not connected|No response|closed|ECONNRESET/i,
    )
    await expectNoHalfWrittenFiles(site)
    await expectConverges(site)
    survived.push(`connection cut after ${stepId}`)
  })
})

describe('the connection cut in the middle of a file write', () => {
  const files: [string, (site: Site) => string][] = [
    ['requirements.in', (s) => mirrorLayout(s.mirror).requirementsIn],
    ['bandersnatch.conf', (s) => mirrorLayout(s.mirror).conf],
    ['the nginx site', (s) => nginxSitePaths(s.mirror).available],
  ]
  it.each(files)('cut while writing %s (root, over SFTP)', async (name, pathOf) => {
    const { site, viaRelay } = await newSite()
    const host = await connect(viaRelay.mirror.ssh)
    let cutAt = ''
    host.onEvent((event) => {
      if (event.type === 'file-write' && event.path === pathOf(site) && !cutAt) {
        cutAt = event.path
        relay.cut()
      }
    })
    const summary = await apply(viaRelay, host)
    host.close()
    expect(cutAt).toBe(pathOf(site))
    expect(summary.status).toBe('failed')
    await expectNoHalfWrittenFiles(site)
    await expectConverges(site)
    survived.push(`connection cut while writing ${name}`)
  })

  it('cut while writing the nginx site through sudo with a password', async () => {
    const { site } = await newSite()
    const target: SshTarget = {
      host: bed.sshd.host,
      port: relay.port,
      user: SUDOER.name,
      auth: 'password',
    }
    const credentials = { password: SUDOER.password }
    const asSudoer: Site = { ...site, mirror: { ...site.mirror, ssh: target } }
    const host = await connect(target, credentials)
    let cut = false
    host.onEvent((event) => {
      if (
        event.type === 'file-write' &&
        event.path === nginxSitePaths(site.mirror).available &&
        !cut
      ) {
        cut = true
        relay.cut()
      }
    })
    const summary = await apply(asSudoer, host)
    host.close()
    expect(cut).toBe(true)
    expect(summary.status).toBe('failed')
    await expectNoHalfWrittenFiles(site)
    await expectConverges(asSudoer, credentials, { ...target, port: bed.sshd.port })
    survived.push('connection cut while writing the nginx site through sudo')
  })
})

describe('faults during the sync', () => {
  it('a full disk during the sync fails clearly, and after freeing space apply converges', async () => {
    const mount = '/mnt/pmw-fault-disk'
    await mkdir(mount, { recursive: true })
    await sh('mount', ['-t', 'tmpfs', '-o', 'size=600m', 'tmpfs', mount])
    try {
      const { site } = await newSite({ directory: `${mount}/pypi`, upstream: slow.url })
      const host = await connect(site.mirror.ssh)
      let filled = false
      const summary = await apply(site, host, (event) => {
        if (!filled && event.type === 'log' && /Sync started/.test(event.line)) {
          filled = true
          // Every last byte: the wheels are tiny, so any space left would let the sync finish.
          void sh('sh', ['-c', 'cat /dev/zero > "$1" 2>/dev/null; true', 'sh', `${mount}/filler`])
        }
      })
      host.close()
      expect(filled).toBe(true)
      expect(summary.status).toBe('failed')
      expect(summary.failedStep).toBe('sync')
      expect(summary.error).toMatch(/disk full: no space left on .*\(\d+(\.\d)? [KM]?B free/)
      await sh('rm', ['-f', `${mount}/filler`])
      await expectConverges(site)
      survived.push('disk full during the sync')
    } finally {
      await sh('umount', ['-l', mount])
      await rmdir(mount).catch(() => undefined)
    }
  })

  it('bandersnatch killed mid-sync is reported, and the next apply resumes to a verified mirror', async () => {
    const { site } = await newSite({ upstream: slow.url })
    const host = await connect(site.mirror.ssh)
    const layout = mirrorLayout(site.mirror)
    let killed = false
    const running = apply(site, host, (event) => {
      if (!killed && event.type === 'log' && /Downloading:/.test(event.line)) {
        killed = true
        void sh('pkill', ['-KILL', '-f', `bandersnatch -c ${layout.conf}`])
      }
    })
    const summary = await running
    host.close()
    expect(killed).toBe(true)
    expect(summary.failedStep).toBe('sync')
    expect(summary.error).toMatch(/exited with code 137|stopped before it finished/)
    await expectConverges(site)
    survived.push('bandersnatch killed mid-sync')
  })
})

describe('refusals', () => {
  it('nginx -t failing keeps the running nginx serving the previous site', async () => {
    const { site } = await newSite()
    await expectConverges(site)
    const url = `http://${site.mirror.serve.listen}/pypi/simple/`
    const before = await readFile(nginxSitePaths(site.mirror).available, 'utf8')
    const broken: Site = {
      ...site,
      mirror: {
        ...site.mirror,
        serve: {
          ...site.mirror.serve,
          listen: `10.254.254.254:${site.mirror.serve.listen.split(':')[1]}`,
        },
      },
    }
    const host = await connect(site.mirror.ssh)
    const summary = await runSteps(
      MIRROR_STEPS,
      host,
      broken,
      { mode: 'apply', from: 'nginx' },
      () => undefined,
    )
    host.close()
    expect(summary.error).toMatch(/nginx -t rejected/)
    expect(await readFile(nginxSitePaths(site.mirror).available, 'utf8')).toBe(before)
    expect((await fetch(url)).status).toBe(200)
    await expectConverges(site)
    survived.push('nginx -t failing')
  })

  it('sudo refusing the password changes nothing; with the right one apply converges', async () => {
    const { site, directory } = await newSite()
    const target: SshTarget = {
      host: bed.sshd.host,
      port: bed.sshd.port,
      user: SUDOER.name,
      auth: 'password',
    }
    const asSudoer: Site = { ...site, mirror: { ...site.mirror, ssh: target } }
    const host = await connect(target, {
      password: SUDOER.password,
      sudoPassword: 'not-the-password',
    })
    const summary = await apply(asSudoer, host)
    host.close()
    expect(summary.failedStep).toBe('preflight')
    expect(summary.error).toMatch(/sudo refused the password/)
    expect(existsSync(directory)).toBe(false)
    await expectConverges(asSudoer, { password: SUDOER.password })
    survived.push('sudo refusing the password')
  })
})

describe('the count', () => {
  it('every injected fault was survived', async () => {
    await waitFor(() => true, 'nothing')
    expect(survived.length).toBeGreaterThanOrEqual(14)
  })
})
