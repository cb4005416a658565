import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync } from 'node:fs'
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fleetSummaryLines, runFleet, type Connect } from '../../src-main/engine/fleet'
import { parseSite, type Site } from '#shared/site'
import { workerToolsStep } from '../../src-main/engine/steps/worker-tools'
import { applyWorkers, planWorkers } from '../../src-main/engine/workers'
import { FleetRecorder } from '../testbed/fleet-events'
import { createNetns, type TestNetns } from '../testbed/netns'
import { startServedMirror, type ServedMirror } from '../testbed/served-mirror'
import { makeClientKey, startSshd, type TestSshd } from '../testbed/sshd'
import { ensureTestUsers, NOPASSWD_SUDOER } from '../testbed/users'
import {
  installOlStandin,
  sshTargetOf,
  stopStandinWorkers,
  testConnect,
} from '../testbed/worker-hosts'

/**
 * Four worker hosts, each its own sshd: two on this machine's side of a veth link (one logged
 * into as a sudo user, not root), two inside a network namespace. The fourth is given a loopback
 * pip_mirror on purpose: inside the namespace nothing answers there, and it must fail alone.
 */
let ns: TestNetns
let mirror: ServedMirror
let sshds: TestSshd[]
let work: string
let ol: string
let connect: Connect
let site: Site
let labels: { root: string; sudoer: string; inside: string; loopback: string }

beforeAll(async () => {
  await ensureTestUsers()
  ns = await createNetns('pmwfl', 202)
  mirror = await startServedMirror({
    address: '0.0.0.0',
    requirements: ['alpha==1.1', 'beta==2.0', "gamma==1.0 ; python_full_version < '3.13'"],
  })
  const [rootHost, sudoHost] = [
    await startSshd({ host: ns.hostAddress }),
    await startSshd({ host: ns.hostAddress }),
  ]
  // A fresh namespace has every port free; startSshd would look for one on this side.
  const [insideHost, loopbackHost] = [
    await startSshd({ host: ns.address, netns: ns.name, port: 2222 }),
    await startSshd({ host: ns.address, netns: ns.name, port: 2223 }),
  ]
  sshds = [rootHost, sudoHost, insideHost, loopbackHost] as TestSshd[]
  work = await mkdtemp(join(tmpdir(), 'pmw-fleet-'))
  await chmod(work, 0o755)
  const key = await makeClientKey(work, 'key')
  for (const sshd of sshds) await sshd.authorize('root', key)
  await sudoHost?.authorize(NOPASSWD_SUDOER.name, key)
  ol = await installOlStandin(work)
  connect = testConnect(sshds, key, join(work, 'known_hosts'))

  const port = mirror.listen.split(':')[1] as string
  const workers = [
    { ssh: sshTargetOf(rootHost as TestSshd), workerDir: join(work, 'fleet-root') },
    {
      ssh: sshTargetOf(sudoHost as TestSshd, NOPASSWD_SUDOER.name),
      workerDir: join(work, 'fleet-sudoer'),
    },
    { ssh: sshTargetOf(insideHost as TestSshd), workerDir: join(work, 'fleet-inside') },
    {
      ssh: sshTargetOf(loopbackHost as TestSshd),
      workerDir: join(work, 'fleet-loopback'),
      pipMirror: `http://127.0.0.1:${port}/pypi`,
    },
  ]
  site = parseSite({
    mirror: {
      ssh: sshTargetOf(rootHost as TestSshd),
      directory: mirror.dir,
      requirements: ['alpha'],
      serve: { listen: mirror.listen, location: '/pypi/' },
    },
    workers: workers.map((worker) => ({ ...worker, ol, registryRequirements: ['alpha'] })),
  })
  const [root, sudoer, inside, loopback] = workers.map(
    (w) => `${w.ssh.user}@${w.ssh.host}:${w.ssh.port}:${w.workerDir}`,
  ) as [string, string, string, string]
  labels = { root, sudoer, inside, loopback }

  // The namespace has no route to PyPI: uv comes from this side (the filesystem is shared).
  const tools = await runFleet(
    [
      {
        label: 'tools',
        target: sshTargetOf(rootHost as TestSshd),
        site,
        steps: [workerToolsStep()],
      },
    ],
    connect,
    { mode: 'apply' },
    () => undefined,
  )
  expect(tools.status).not.toBe('failed')
})

afterAll(async () => {
  if (work) await stopStandinWorkers(work)
  for (const sshd of sshds ?? []) await sshd.stop()
  await mirror?.stop()
  await ns?.remove()
  if (work) await rm(work, { recursive: true, force: true })
})

describe("a fleet of four worker hosts (OpenLambda's `ol`: the stand-in)", () => {
  it('plans every host at once and changes nothing', async () => {
    const recorder = new FleetRecorder()
    const summary = await planWorkers(site, connect, {}, recorder.emit)
    expect(summary.counts).toMatchObject({ planned: 3, failed: 1 })
    for (const label of [labels.root, labels.sudoer, labels.inside])
      expect(recorder.plan(label, 'worker-init')?.changes.length).toBe(2)
    expect(existsSync(join(work, 'fleet-root'))).toBe(false)
  })

  it('sets up three hosts while the fourth fails on purpose, with one status line each and a summary', async () => {
    const recorder = new FleetRecorder()
    const summary = await applyWorkers(site, connect, { concurrency: 3 }, recorder.emit)

    expect(summary.status).toBe('failed')
    expect(summary.counts).toMatchObject({ changed: 3, failed: 1 })
    for (const label of [labels.root, labels.sudoer, labels.inside]) {
      const host = summary.hosts.find((h) => h.host === label)
      expect(host?.error).toBeUndefined()
      expect(host?.state).toBe('changed')
      // Verify of the start step asked the worker's /status from its own host.
      expect(recorder.log(label, 'worker-start').join('\n')).toMatch(/\/status answers "ready"/)
    }
    const failed = summary.hosts.find((h) => h.host === labels.loopback)
    expect(failed?.failedStep).toBe('worker-mirror')
    expect(failed?.line).toMatch(
      /^FAILED at "Reach the mirror from the worker host": pip_mirror http:\/\/127\.0\.0\.1:\d+\/pypi refused: .* a loopback address/,
    )
    expect(failed?.findings[0]?.evidence).toMatch(
      /from root@10\.200\.202\.2:2223: no answer: .*refused/,
    )
    expect(existsSync(join(work, 'fleet-loopback'))).toBe(false)

    // At most three hosts at once, and the failure did not stop the others.
    expect(recorder.maxConcurrent()).toBe(3)
    const statuses = recorder.statusLines(labels.inside)
    expect(statuses[0]).toBe('queued: waiting')
    expect(statuses).toContain(
      'running: step 6/8: Compile the lambda requirements against the mirror',
    )
    expect(statuses.at(-1)).toMatch(
      /^changed: done: \d+ changes; OpenLambda ignores pip_mirror \(main\)[^;]*; sandbox Python 3\.\d+; installs from the mirror: proven$/,
    )
    // Every host's own run events arrive tagged with the host.
    expect(recorder.hostEvents(labels.sudoer)[0]).toMatchObject({
      type: 'run-started',
      host: expect.stringContaining(`${NOPASSWD_SUDOER.name}@`),
    })

    const lines = fleetSummaryLines(summary)
    expect(lines).toHaveLength(5)
    expect(lines.at(-1)).toBe('4 hosts: 3 changed, 1 failed')

    // The sudo user's worker was written through sudo: root owns it, as ol worker init made it.
    const config = await readFile(join(work, 'fleet-sudoer', 'config.json'), 'utf8')
    expect(config).toContain(`"pip_mirror": "http://${ns.hostAddress}:`)
  })

  it('a second apply reports zero changes on the converged hosts', async () => {
    const summary = await applyWorkers(site, connect, {}, () => undefined)
    expect(summary.counts).toMatchObject({ ok: 3, changed: 0, failed: 1 })
    for (const host of summary.hosts.filter((h) => h.state !== 'failed'))
      expect(host).toMatchObject({
        changes: 0,
        line: expect.stringMatching(
          /^done: nothing to change; .*installs from the mirror: proven$/,
        ),
      })
    expect(fleetSummaryLines(summary).at(-1)).toBe('4 hosts: 3 unchanged, 1 failed')
  })
})
