import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { parseSite, SiteError, type Site, type SiteInput } from '#shared/site'
import { RemoteHost } from '../../src-main/engine/ssh/remote-host'
import { runSteps } from '../../src-main/engine/run'
import { MIRROR_STEPS } from '../../src-main/engine/steps/mirror-steps'
import { planWorkers } from '../../src-main/engine/workers'
import { startMirrorHostBed, type MirrorHostBed } from '../testbed/mirror-host'
import { freePort } from '../testbed/processes'
import { addNonLoopbackAddress, removeNonLoopbackAddress } from '../testbed/local-address'
import { ensureCliBuilt, runPipMirror } from '../testbed/cli'
import { installOlStandin } from '../testbed/worker-hosts'
import { hostileValues } from './hostile-values'

/**
 * At least 500 hostile values for every field that reaches a host. Each is either refused by the
 * site schema with an error naming that field, or, if it is harmless enough to pass, used for
 * real against the test bed (plan mode): the sentinel an injection would create never appears.
 */
type Mutable = {
  mirror: Record<string, unknown> & { ssh: Record<string, unknown>; serve: Record<string, unknown> }
  workers: (Record<string, unknown> & { ssh: Record<string, unknown> })[]
}

let bed: MirrorHostBed
let base: () => Mutable
const sentinel = `/tmp/pmw-sentinel-${randomBytes(6).toString('hex')}`
let closedPort: number

beforeAll(async () => {
  await ensureCliBuilt()
  bed = await startMirrorHostBed()
  closedPort = await freePort()
  const address = await addNonLoopbackAddress()
  const port = await freePort()
  const { input, path } = await bed.newSite({ listen: `${address}:${port}` })
  // A real, verified mirror, so the workers' steps go as far as using every worker field.
  const applied = await runPipMirror([
    'apply',
    '--yes',
    '--site',
    path,
    '--known-hosts',
    bed.knownHosts,
    '--accept-host-key',
    bed.sshd.hostKeyFingerprint,
  ])
  expect(applied.code, applied.stdout + applied.stderr).toBe(0)
  const ol = await installOlStandin(bed.work)
  base = () => {
    const site = JSON.parse(JSON.stringify(input)) as Mutable
    site.workers = [
      {
        ssh: { ...site.mirror.ssh },
        workerDir: '/srv/pmw-hostile-worker',
        ol,
        baseImage: 'ol-min',
        registryRequirements: ['alpha'],
      },
    ]
    return site
  }
}, 600_000)

afterAll(async () => {
  await bed?.stop()
  await removeNonLoopbackAddress()
})

const loopback = (value: string): boolean => {
  try {
    return ['127.0.0.1', 'localhost'].includes(new URL(value).hostname)
  } catch {
    return value === '127.0.0.1' || value === 'localhost'
  }
}

interface Field {
  path: string
  plausible: () => string
  set: (site: Mutable, value: string) => void
  /** Where the value goes: the mirror's steps, the workers' steps, or only a connection. */
  reaches: 'mirror' | 'workers'
  /** Values that would send traffic beyond loopback are validated but not run. */
  runnable?: (value: string) => boolean
}

const fields: Field[] = [
  {
    path: 'mirror.ssh.host',
    plausible: () => '127.0.0.1',
    set: (s, v) => (s.mirror.ssh.host = v),
    reaches: 'mirror',
    runnable: loopback,
  },
  {
    path: 'mirror.ssh.user',
    plausible: () => 'root',
    set: (s, v) => (s.mirror.ssh.user = v),
    reaches: 'mirror',
  },
  {
    path: 'mirror.directory',
    plausible: () => '/srv/pmw-hostile',
    set: (s, v) => (s.mirror.directory = v),
    reaches: 'mirror',
  },
  {
    path: 'mirror.requirements.0',
    plausible: () => 'alpha==1.1',
    set: (s, v) => (s.mirror.requirements = [v]),
    reaches: 'mirror',
  },
  {
    path: 'mirror.serve.listen',
    plausible: () => '127.0.0.1:8080',
    set: (s, v) => (s.mirror.serve.listen = v),
    reaches: 'mirror',
  },
  {
    path: 'mirror.serve.location',
    plausible: () => '/pypi/',
    set: (s, v) => (s.mirror.serve.location = v),
    reaches: 'mirror',
  },
  {
    path: 'mirror.upstream',
    plausible: () => bed.upstream.url,
    set: (s, v) => (s.mirror.upstream = v),
    reaches: 'mirror',
    runnable: loopback,
  },
  {
    path: 'mirror.proxy',
    plausible: () => `http://127.0.0.1:${closedPort}`,
    set: (s, v) => (s.mirror.proxy = v),
    reaches: 'mirror',
    runnable: loopback,
  },
  {
    path: 'mirror.pipIndexUrl',
    plausible: () => `http://127.0.0.1:${closedPort}/simple`,
    set: (s, v) => (s.mirror.pipIndexUrl = v),
    reaches: 'mirror',
    runnable: loopback,
  },
  {
    path: 'workers.0.ssh.host',
    plausible: () => '127.0.0.1',
    set: (s, v) => ((s.workers[0] as Mutable['workers'][0]).ssh.host = v),
    reaches: 'workers',
    runnable: loopback,
  },
  {
    path: 'workers.0.ssh.user',
    plausible: () => 'root',
    set: (s, v) => ((s.workers[0] as Mutable['workers'][0]).ssh.user = v),
    reaches: 'workers',
  },
  {
    path: 'workers.0.workerDir',
    plausible: () => '/srv/pmw-hostile-worker',
    set: (s, v) => ((s.workers[0] as Mutable['workers'][0]).workerDir = v),
    reaches: 'workers',
  },
  {
    path: 'workers.0.ol',
    plausible: () => '/usr/local/bin/ol-missing',
    set: (s, v) => ((s.workers[0] as Mutable['workers'][0]).ol = v),
    reaches: 'workers',
  },
  {
    path: 'workers.0.baseImage',
    plausible: () => 'ol-min',
    set: (s, v) => ((s.workers[0] as Mutable['workers'][0]).baseImage = v),
    reaches: 'workers',
  },
  {
    path: 'workers.0.registryRequirements.0',
    plausible: () => 'alpha',
    set: (s, v) => ((s.workers[0] as Mutable['workers'][0]).registryRequirements = [v]),
    reaches: 'workers',
  },
]

async function runAgainstTestBed(site: Site, reaches: Field['reaches']): Promise<void> {
  const connect = (target: Site['mirror']['ssh']) =>
    RemoteHost.connect(target, {
      credentials: {},
      trust: { knownHostsPath: bed.knownHosts, acceptFingerprint: bed.sshd.hostKeyFingerprint },
      readyTimeoutMs: 10_000,
    })
  if (reaches === 'workers') {
    await planWorkers(site, connect, {}, () => undefined).catch(() => undefined)
    return
  }
  const host = await connect(site.mirror.ssh).catch(() => null)
  if (!host) return
  try {
    await runSteps(
      MIRROR_STEPS,
      host,
      site,
      { mode: 'plan', to: 'requirements' },
      () => undefined,
    ).catch(() => undefined)
  } finally {
    host.close()
  }
}

describe.each(fields)('$path', (field) => {
  it('refuses every hostile value naming the field, and no accepted one injects anything', async () => {
    const values = hostileValues(sentinel, field.plausible())
    expect(values.length).toBeGreaterThanOrEqual(450)
    let refused = 0
    let ran = 0
    for (const value of values) {
      const input = base()
      field.set(input, value)
      let site: Site
      try {
        site = parseSite(input as unknown as SiteInput)
      } catch (error) {
        expect(error).toBeInstanceOf(SiteError)
        expect(
          (error as SiteError).problems.map((p) => p.field),
          JSON.stringify(value),
        ).toContain(field.path)
        refused++
        continue
      }
      if (field.runnable && !field.runnable(value)) continue
      await runAgainstTestBed(site, field.reaches)
      ran++
      expect(existsSync(sentinel), `injected by ${JSON.stringify(value)}`).toBe(false)
    }
    expect(refused + ran).toBeGreaterThan(0)
    expect(existsSync(sentinel)).toBe(false)
    console.log(
      `${field.path}: ${values.length} hostile values, ${refused} refused naming the field, ${ran} accepted and run against the test bed`,
    )
  })
})
