import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Connect, FleetSummary } from '../../src-main/engine/fleet'
import { runFleet } from '../../src-main/engine/fleet'
import { parseSite, type Site } from '#shared/site'
import { workerToolsStep } from '../../src-main/engine/steps/worker-tools'
import {
  addToMirrorRequirements,
  applyWorkers,
  controlWorkers,
  doctorWorkers,
  planWorkers,
  type DoctorFinding,
} from '../../src-main/engine/workers'
import { FleetRecorder } from '../testbed/fleet-events'
import { olSandboxBaseRoot } from '../testbed/ol-sandbox-root'
import { sh } from '../testbed/processes'
import { createNetns, type TestNetns } from '../testbed/netns'
import { startServedMirror, type ServedMirror } from '../testbed/served-mirror'
import { makeClientKey, startSshd, type TestSshd } from '../testbed/sshd'
import {
  installOlStandin,
  sshTargetOf,
  stopStandinWorkers,
  testConnect,
} from '../testbed/worker-hosts'

/** What the mirror holds: `alpha` compiled for every platform, as the product's mirror does. */
const MIRROR_PINS = [
  'alpha==1.1',
  'beta==2.0',
  "gamma==1.0 ; python_full_version < '3.13'",
  "winhelper==1.0 ; sys_platform == 'win32'",
]

let ns: TestNetns
let mirror: ServedMirror
/** A mirror made for macOS workers only: no Linux wheels. */
let macMirror: ServedMirror
/** The mirror host's sshd, in this machine's namespace: also the "local" worker host. */
let local: TestSshd
/** A worker host in its own network namespace, reaching the mirror over a veth link. */
let inside: TestSshd
let work: string
let ol: string
let connect: Connect
let pipMirror: string

beforeAll(async () => {
  ns = await createNetns('pmwwk', 201)
  mirror = await startServedMirror({ address: '0.0.0.0', requirements: MIRROR_PINS })
  macMirror = await startServedMirror({
    address: '0.0.0.0',
    requirements: ['gamma==1.0'],
    platforms: ['macos'],
  })
  local = await startSshd({ host: ns.hostAddress })
  // Every port is free in a new namespace; startSshd would look for one in this one.
  inside = await startSshd({ host: ns.address, netns: ns.name, port: 2222 })
  work = await mkdtemp(join(tmpdir(), 'pmw-workers-'))
  await chmod(work, 0o755)
  const key = await makeClientKey(work, 'key')
  await local.authorize('root', key)
  await inside.authorize('root', key)
  ol = await installOlStandin(work)
  connect = testConnect([local, inside], key, join(work, 'known_hosts'))
  pipMirror = `http://${ns.hostAddress}:${mirror.listen.split(':')[1]}/pypi`
  // The namespace has no route to PyPI: uv comes from this side (the filesystem is shared).
  const tools = await runFleet(
    [
      {
        label: 'tools',
        target: sshTargetOf(local),
        site: siteWith([]),
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
  await local?.stop()
  await inside?.stop()
  await mirror?.stop()
  await macMirror?.stop()
  await ns?.remove()
  if (work) await rm(work, { recursive: true, force: true })
})

type WorkerInput = Record<string, unknown> & { workerDir: string }

/** The mirror host is this machine at the veth address, so every worker host reaches it. */
function siteWith(workers: WorkerInput[], sshd?: TestSshd): Site {
  return parseSite({
    mirror: {
      ssh: sshTargetOf(local),
      directory: mirror.dir,
      requirements: ['alpha'],
      serve: { listen: mirror.listen, location: '/pypi/' },
    },
    workers: workers.map((worker) => ({
      ssh: sshTargetOf(sshd ?? local),
      ol,
      registryRequirements: ['alpha'],
      ...worker,
    })),
  })
}

function hostResult(summary: FleetSummary, workerDir: string) {
  const result = summary.hosts.find((host) => host.host.endsWith(`:${workerDir}`))
  if (!result) throw new Error(`no result for ${workerDir}`)
  return result
}

function labelOf(sshd: TestSshd, workerDir: string): string {
  return `root@${sshd.host}:${sshd.port}:${workerDir}`
}

async function workerStatus(workerDir: string): Promise<string> {
  const config = JSON.parse(await readFile(join(workerDir, 'config.json'), 'utf8')) as {
    worker_port: string
  }
  try {
    const response = await fetch(`http://localhost:${config.worker_port}/status`)
    return (await response.text()).trim()
  } catch {
    return 'no answer'
  }
}

async function backupsOf(path: string): Promise<string[]> {
  const dir = join(path, '..')
  const name = path.slice(dir.length + 1)
  return (await readdir(dir)).filter((f) => f.startsWith(`${name}.pmw-backup-`)).sort()
}

describe("refusals, before anything is changed (OpenLambda's `ol`: the stand-in)", () => {
  it('refuses a loopback pip_mirror, which from inside the namespace really does not answer', async () => {
    const loopback = `http://127.0.0.1:${mirror.listen.split(':')[1]}/pypi`
    const nsDir = join(work, 'ns-loopback')
    const localDir = join(work, 'local-loopback')
    const site = parseSite({
      ...siteWith([]),
      workers: [
        { ssh: sshTargetOf(inside), workerDir: nsDir, ol, pipMirror: loopback },
        { ssh: sshTargetOf(local), workerDir: localDir, ol, pipMirror: loopback },
      ],
    })
    const recorder = new FleetRecorder()
    const summary = await applyWorkers(site, connect, {}, recorder.emit)

    expect(summary.status).toBe('failed')
    const nsResult = hostResult(summary, nsDir)
    expect(nsResult.failedStep).toBe('worker-mirror')
    expect(nsResult.error).toContain('127.0.0.1, a loopback address')
    // The evidence is the request made from the worker host itself.
    expect(nsResult.findings[0]?.evidence).toMatch(
      new RegExp(`GET ${loopback}/simple/ from root@${ns.address}:\\d+: no answer: .*refused`),
    )
    const localResult = hostResult(summary, localDir)
    expect(localResult.failedStep).toBe('worker-mirror')
    expect(localResult.findings[0]?.evidence).toContain('HTTP 200 (this host reaches it')
    expect(existsSync(nsDir) || existsSync(localDir)).toBe(false)
  })

  it('stops with a clear message that says where it looked for a missing ol', async () => {
    const absent = join(work, 'no-ol-path')
    const unnamed = join(work, 'no-ol-name')
    const site = siteWith([
      { workerDir: absent, ol: '/opt/pmw-no-such-dir/ol' },
      { workerDir: unnamed, ol: 'ol-not-installed' },
    ])
    const summary = await applyWorkers(site, connect, {}, () => undefined)

    const byPath = hostResult(summary, absent)
    expect(byPath.failedStep).toBe('worker-init')
    expect(byPath.error).toContain(
      "OpenLambda's ol was not found: looked for /opt/pmw-no-such-dir/ol, which does not exist",
    )
    const byName = hostResult(summary, unnamed)
    expect(byName.error).toMatch(
      /looked for "ol-not-installed" on root's PATH \(.*\/usr\/bin.*\)[\s\S]*What to do: set the worker's "ol" to the full path/,
    )
    expect(existsSync(absent) || existsSync(unnamed)).toBe(false)
  })
})

describe("a worker set up from nothing (OpenLambda's `ol`: the stand-in)", () => {
  const dir = () => join(work, 'ol-a')

  it('plans without changing anything: ol worker init, then pip_mirror', async () => {
    const recorder = new FleetRecorder()
    const summary = await planWorkers(siteWith([{ workerDir: dir() }]), connect, {}, recorder.emit)
    expect(summary.status).toBe('planned')
    const label = labelOf(local, dir())
    const init = recorder.plan(label, 'worker-init')
    expect(init?.changes.map((c) => (c.kind === 'command' ? c.argv : []))).toContainEqual([
      ol,
      'worker',
      'init',
      '-p',
      dir(),
      '-i',
      'ol-min',
    ])
    expect(recorder.plan(label, 'worker-config')?.changes[0]?.summary).toContain(
      `Set pip_mirror to ${pipMirror} once ol worker init has created the file`,
    )
    expect(recorder.plan(label, 'worker-start')?.changes[0]?.summary).toContain('ol worker up -d')
    expect(existsSync(dir())).toBe(false)
  })

  it('applies: init, pip_mirror only (diff first, previous kept), requirements proved, worker up', async () => {
    const recorder = new FleetRecorder()
    const summary = await applyWorkers(siteWith([{ workerDir: dir() }]), connect, {}, recorder.emit)
    const label = labelOf(local, dir())
    expect(summary.hosts[0]?.error).toBeUndefined()
    expect(summary.status).toBe('changed')
    expect(recorder.log(label, 'worker-init')).toContain(
      `(as root) $ ${ol} worker init -p ${dir()} -i ol-min`,
    )

    // config.json: what ol worker init wrote, with pip_mirror and nothing else changed.
    const configPath = join(dir(), 'config.json')
    const [backup] = await backupsOf(configPath)
    expect(backup).toBeDefined()
    const before = await readFile(join(dir(), backup as string), 'utf8')
    const after = await readFile(configPath, 'utf8')
    expect(before).toMatch(/^\{\n\t"worker_dir": /)
    expect(before.endsWith('}')).toBe(true)
    expect(before).toContain('\t"pip_mirror": "",\n')
    expect(after).toBe(before.replace('"pip_mirror": ""', `"pip_mirror": "${pipMirror}"`))
    // The plan showed, before anything ran, the command that sets that one value in the file
    // ol worker init was to write (its content was not there to diff yet), keeping the file as
    // ol wrote it; the command ran after the plan was shown.
    const edit = recorder.plan(label, 'worker-config')?.changes[0]
    expect(edit?.kind === 'command' && edit.argv.slice(-3, -1)).toEqual([configPath, pipMirror])
    expect(edit?.kind === 'command' && edit.argv.at(-1)).toMatch(/config\.json\.pmw-backup-/)
    const planIndex = recorder
      .hostEvents(label)
      .findIndex((e) => e.type === 'plan' && e.step === 'worker-config')
    const writeIndex = recorder
      .hostEvents(label)
      .findIndex(
        (e) =>
          e.type === 'log' &&
          e.stream === 'command' &&
          e.line.includes(`${configPath} ${pipMirror}`),
      )
    if (writeIndex < 0)
      console.log(JSON.stringify(recorder.hostEvents(label), null, 1).slice(0, 20000))
    expect(planIndex).toBeGreaterThan(-1)
    expect(writeIndex).toBeGreaterThan(planIndex)

    // requirements.in in, a pinned requirements.txt out: the worker's own closure, no markers.
    const registry = join(dir(), 'registry')
    expect(await readFile(join(registry, 'requirements.in'), 'utf8')).toMatch(/^alpha$/m)
    const txt = await readFile(join(registry, 'requirements.txt'), 'utf8')
    const pins = txt.split('\n').filter((l) => l && !l.startsWith('#') && !l.startsWith(' '))
    expect(pins).toEqual(['alpha==1.1', 'beta==2.0', 'gamma==1.0'])
    expect(txt).toContain(`resolved against ${pipMirror}/simple/`)
    const requirementsLog = recorder.log(label, 'worker-requirements')
    expect(requirementsLog.join('\n')).toContain(`--index-url ${pipMirror}/simple`)
    expect(requirementsLog).toContain(
      `dry install as OpenLambda runs it: pip install --no-deps <line> --cache-dir <tmp>/cache -t <tmp>/files --index-url ${pipMirror}/simple --trusted-host ${ns.hostAddress} -vvv --python-version 3.11`,
    )
    expect(requirementsLog.join('\n')).toMatch(
      new RegExp(
        `alpha==1\\.1: installed alpha-1\\.1 from ${pipMirror}/packages/.*/alpha-1\\.1-py3-none-any\\.whl`,
      ),
    )
    // The sandbox did not exist when the plan was made: its Python is asked with chroot when the
    // compile runs, as OpenLambda starts every sandbox.
    expect(requirementsLog).toContain(
      `Python 3.11 for the sandboxes, from chroot ${dir()}/lambda python3 --version`,
    )

    // Started detached; it answers, and its log tail was shown.
    expect(await workerStatus(dir())).toBe('ready')
    const startLog = recorder.log(label, 'worker-start')
    expect(startLog).toContain(`(as root) $ ${ol} worker up -p ${dir()} -d`)
    expect(startLog).toContain('the end of worker.out:')
    expect(startLog.join('\n')).toContain('ol stand-in worker listening on localhost')
  })

  it('a second apply changes nothing and says so', async () => {
    const summary = await applyWorkers(
      siteWith([{ workerDir: dir() }]),
      connect,
      {},
      () => undefined,
    )
    expect(summary.status).toBe('ok')
    expect(summary.hosts[0]).toMatchObject({
      state: 'ok',
      changes: 0,
      line: expect.stringMatching(/^done: nothing to change; .*installs from the mirror: proven$/),
    })
  })

  it('stops, starts and restarts the worker', async () => {
    const site = siteWith([{ workerDir: dir() }])
    const pid = async () => readFile(join(dir(), 'worker', 'worker.pid'), 'utf8')
    const firstPid = await pid()

    const stopped = await controlWorkers(site, connect, 'stop', {}, () => undefined)
    expect(stopped.hosts[0]?.state).toBe('changed')
    expect(await workerStatus(dir())).toBe('no answer')
    const stopAgain = await controlWorkers(site, connect, 'stop', {}, () => undefined)
    expect(stopAgain.hosts[0]?.state).toBe('ok')

    const started = await controlWorkers(site, connect, 'start', {}, () => undefined)
    expect(started.hosts[0]?.state).toBe('changed')
    expect(await workerStatus(dir())).toBe('ready')
    const startedPid = await pid()
    expect(startedPid).not.toBe(firstPid)

    const recorder = new FleetRecorder()
    const restarted = await controlWorkers(site, connect, 'restart', {}, recorder.emit)
    expect(restarted.hosts[0]?.state).toBe('changed')
    expect(await workerStatus(dir())).toBe('ready')
    expect(await pid()).not.toBe(startedPid)
    expect(recorder.log(labelOf(local, dir()), 'worker-restart')).toContain(
      'the end of worker.out:',
    )
  })
})

describe("an existing config.json (OpenLambda's `ol`: the stand-in)", () => {
  it('keeps every other byte of a hand-formatted file, in the namespace host, and keeps the previous file', async () => {
    const dir = join(work, 'ns-existing')
    await mkdir(join(dir, 'registry'), { recursive: true, mode: 0o700 })
    // The sandboxes' base as ol worker init leaves it (the proof installs in it).
    await sh('cp', ['-al', await olSandboxBaseRoot(), join(dir, 'lambda')])
    for (const sub of ['host', 'handler', 'packages']) await mkdir(join(dir, 'lambda', sub))
    await mkdir(join(dir, 'worker'), { mode: 0o700 })
    await writeFile(join(dir, 'ol.init'), 'a previous deployment\n')
    const before = [
      '{',
      '  "worker_dir": "' + join(dir, 'worker') + '",',
      '  "worker_url": "localhost",',
      '  "worker_port": "' + String(41000 + Math.floor(Math.random() * 2000)) + '",',
      '  "sandbox": "sock",',
      '  "registry": "file://' + join(dir, 'registry') + '",',
      '  "Pkgs_dir": "' + join(dir, 'lambda', 'packages') + '",',
      '  "pip_mirror": "http://old-mirror.example:3141/root/pypi",',
      '  "mem_pool_mb": 2048,',
      '  "sock_base_path": "' + join(dir, 'lambda') + '",',
      '  "limits": { "procs": 10, "mem_mb": 50 },',
      '  "features": {"import_cache": "tree",   "enable_seccomp": true}',
      '}',
      '',
    ].join('\r\n')
    await writeFile(join(dir, 'config.json'), before)
    const recorder = new FleetRecorder()
    const summary = await applyWorkers(
      siteWith([{ workerDir: dir }], inside),
      connect,
      {},
      recorder.emit,
    )
    expect(summary.hosts[0]?.error).toBeUndefined()
    expect(summary.hosts[0]?.state).toBe('changed')
    const label = labelOf(inside, dir)
    expect(recorder.log(label).some((line) => line.includes('worker init'))).toBe(false)

    const after = await readFile(join(dir, 'config.json'), 'utf8')
    expect(after).toBe(before.replace('http://old-mirror.example:3141/root/pypi', pipMirror))
    const [backup] = await backupsOf(join(dir, 'config.json'))
    expect(await readFile(join(dir, backup as string), 'utf8')).toBe(before)
    const diff = recorder.plan(label, 'worker-config')?.changes[0]
    expect(diff?.summary).toBe(
      `pip_mirror: "http://old-mirror.example:3141/root/pypi" → "${pipMirror}"`,
    )
  })

  it('refuses invalid JSON with a clear error and leaves the file untouched', async () => {
    const dir = join(work, 'bad-json')
    await mkdir(dir, { recursive: true, mode: 0o700 })
    await writeFile(join(dir, 'ol.init'), 'a previous deployment\n')
    const broken = '{\n\t"worker_dir": "/srv/ol/worker",\n\t"pip_mirror": "",\n\t"limits": {\n'
    await writeFile(join(dir, 'config.json'), broken)
    const summary = await applyWorkers(siteWith([{ workerDir: dir }]), connect, {}, () => undefined)

    const result = summary.hosts[0]
    expect(result?.failedStep).toBe('worker-config')
    expect(result?.error).toMatch(/config\.json is not valid JSON \(line 5, column 1: .*\)/)
    expect(result?.error).toContain(`${join(dir, 'config.json')} was left untouched`)
    expect(await readFile(join(dir, 'config.json'), 'utf8')).toBe(broken)
    expect(await backupsOf(join(dir, 'config.json'))).toEqual([])
  })
})

describe("the doctor (OpenLambda's `ol`: the stand-in)", () => {
  const dir = () => join(work, 'ol-doctor')
  const txt = () => join(dir(), 'registry', 'requirements.txt')
  const site = () => siteWith([{ workerDir: dir() }])
  const label = () => labelOf(local, dir())

  async function doctor(forSite = site()) {
    const report = await doctorWorkers(forSite, connect, {}, () => undefined)
    const worker = report.workers[label()]
    if (!worker) throw new Error(`no report: ${JSON.stringify(report.summary)}`)
    return { report, worker }
  }

  function byCause(findings: DoctorFinding[], cause: DoctorFinding['cause']) {
    return findings.filter((finding) => finding.cause === cause)
  }

  beforeAll(async () => {
    const summary = await applyWorkers(site(), connect, {}, () => undefined)
    expect(summary.status).toBe('changed')
  })

  it('finds nothing wrong with a worker set up by apply; its dry install succeeds', async () => {
    const { worker } = await doctor()
    expect(worker.findings).toEqual([])
    const dry = worker.dryInstall
    expect(dry?.pip).toBe(true)
    const results = dry && dry.pip ? dry.results : []
    expect(results.map((r) => [r.arg, r.code])).toEqual([
      ['alpha==1.1', 0],
      ['beta==2.0', 0],
      ['gamma==1.0', 0],
    ])
    expect(results[2]?.source).toMatch(
      new RegExp(`^${pipMirror}/packages/.*/gamma-1\\.0-py3-none-manylinux_2_17_x86_64`),
    )
  })

  it('1, 3, 4, 5: not in the mirror, no version, mirror outdated, a marker line', async () => {
    await writeFile(
      txt(),
      ['alpha', 'beta==1.0', 'outsider==1.0', "gamma==1.0 ; python_full_version < '3.13'", ''].join(
        '\n',
      ),
    )
    const { report, worker } = await doctor()
    const { findings } = worker

    const [unpinned] = byCause(findings, 'unpinned')
    expect(unpinned).toMatchObject({
      project: 'alpha',
      evidence: `${txt()}:1: alpha`,
      action: { kind: 'compile-requirements' },
    })
    expect(unpinned?.fix).toContain('compile requirements.txt from requirements.in')

    const [outdated] = byCause(findings, 'mirror-outdated')
    expect(outdated?.title).toBe('beta 1.0 is not in the mirror (it has 2.0)')
    expect(outdated?.evidence).toContain(`GET ${pipMirror}/simple/beta/ from root@`)
    expect(outdated?.evidence).toContain(`${txt()}:2: beta==1.0`)
    expect(outdated?.action).toEqual({ kind: 'add-to-mirror', requirements: ['beta==1.0'] })

    const [missing] = byCause(findings, 'not-in-mirror')
    expect(missing?.title).toBe('outsider is not in the mirror')
    expect(missing?.evidence).toContain(`GET ${pipMirror}/simple/outsider/ from root@`)
    expect(missing?.evidence).toContain('HTTP 404')
    expect(missing?.fix).toBe(
      "add outsider==1.0 to the mirror's requirements and re-sync the mirror",
    )

    const [marker] = byCause(findings, 'platform-markers')
    expect(marker?.project).toBe('gamma')
    expect(marker?.evidence).toContain(
      `pip install --no-deps "gamma==1.0;python-full-version<'3.13'"`,
    )
    expect(marker?.fix).toContain("compile requirements.txt for this worker's Python 3.11")
    for (const finding of findings) {
      expect(finding.host).toBe(`root@${local.host}:${local.port}`)
      expect(finding.evidence).toBeTruthy()
      expect(finding.fix).toBeTruthy()
    }

    // The dry install, as OpenLambda runs it, fails exactly where the findings say.
    const dry = worker.dryInstall
    const results = dry && dry.pip ? dry.results : []
    const code = (arg: string) => results.find((r) => r.arg === arg)?.code
    expect(code('alpha')).toBe(0)
    expect(code('beta==1.0')).not.toBe(0)
    expect(code('outsider==1.0')).not.toBe(0)
    const markerRun = results.find((r) => r.arg.startsWith('gamma'))
    expect(markerRun?.code).not.toBe(0)
    expect(markerRun?.tail.join('\n')).toContain('Invalid marker')
    expect(report.mirrorAdditions).toEqual(['beta==1.0', 'outsider==1.0'])
  })

  it('5: a mirror without files for the worker platform', async () => {
    const macUrl = `http://${ns.hostAddress}:${macMirror.listen.split(':')[1]}/pypi`
    const configPath = join(dir(), 'config.json')
    const config = await readFile(configPath, 'utf8')
    await writeFile(configPath, config.replace(pipMirror, macUrl))
    await writeFile(txt(), 'gamma==1.0\n')
    try {
      const { worker } = await doctor(siteWith([{ workerDir: dir(), pipMirror: macUrl }]))
      const [platform] = byCause(worker.findings, 'platform-markers')
      expect(platform?.title).toBe(
        'No file of gamma 1.0 in the mirror installs on Python 3.11, linux x86_64',
      )
      expect(platform?.evidence).toContain(`GET ${macUrl}/simple/gamma/`)
      expect(platform?.evidence).toContain('lists only gamma-1.0-py3-none-macosx_11_0_arm64.whl')
      expect(platform?.action).toEqual({
        kind: 'mirror-platforms',
        platform: 'linux',
        pythonVersion: '3.11',
      })
      const dry = worker.dryInstall
      const [run] = dry && dry.pip ? dry.results : []
      expect(run?.code).not.toBe(0)
      expect(run?.tail.join('\n')).toContain('No matching distribution found for gamma==1.0')
    } finally {
      await writeFile(configPath, config)
    }
  })

  it('2: a wrong pip_mirror, and a mirror nginx may not read (the permission doctor takes over)', async () => {
    const configPath = join(dir(), 'config.json')
    const config = await readFile(configPath, 'utf8')
    await writeFile(configPath, config.replace(pipMirror, `${pipMirror}-wrong`))
    try {
      const { worker } = await doctor()
      const [mismatch, notServed] = byCause(worker.findings, 'mirror-unreachable')
      expect(mismatch?.title).toBe(`pip_mirror is ${pipMirror}-wrong, not the site's ${pipMirror}`)
      expect(notServed?.title).toBe(
        `Nothing is served at ${pipMirror}-wrong/simple/: the pip_mirror URL or the served directory is wrong`,
      )
      expect(notServed?.evidence).toContain('HTTP 404')
    } finally {
      await writeFile(configPath, config)
    }

    await chmod(mirror.dir, 0o700)
    try {
      const { report, worker } = await doctor()
      const [forbidden] = byCause(worker.findings, 'mirror-unreachable')
      expect(forbidden?.title).toBe('The mirror refuses to serve its index (403 Forbidden)')
      expect(forbidden?.evidence).toContain(`GET ${pipMirror}/simple/ from root@`)
      expect(forbidden?.action).toEqual({ kind: 'permission-doctor', url: `${pipMirror}/simple/` })
      const permissions = report.permissions
      expect(permissions && 'diagnosis' in permissions).toBe(true)
      if (permissions && 'diagnosis' in permissions) {
        expect(permissions.diagnosis.healthy).toBe(false)
        expect(permissions.diagnosis.findings.map((f) => f.cause)).toContain('path-blocked')
      }
    } finally {
      await chmod(mirror.dir, 0o755)
    }
  })

  it('offers to add what the mirror lacks; after the re-sync the dry install succeeds', async () => {
    await writeFile(
      txt(),
      ['alpha==1.1', 'beta==1.0', 'outsider==1.0', 'gamma==1.0', ''].join('\n'),
    )
    const { report } = await doctor()
    expect(report.mirrorAdditions).toEqual(['beta==1.0', 'outsider==1.0'])

    const fixed = addToMirrorRequirements(site(), report.mirrorAdditions)
    expect(fixed.mirror.requirements).toEqual(['alpha', 'beta==1.0', 'outsider==1.0'])
    // The product's mirror apply re-syncs from the new requirements; the test bed does the same.
    await mirror.resync([...MIRROR_PINS, ...report.mirrorAdditions])

    const { worker } = await doctor(fixed)
    expect(worker.findings).toEqual([])
    const dry = worker.dryInstall
    expect((dry && dry.pip ? dry.results : []).map((r) => r.code)).toEqual([0, 0, 0, 0])
  })
})
