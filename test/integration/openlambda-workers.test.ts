import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { nginxAccessLog } from '../../src-main/engine/config/nginx-site'
import type { Connect } from '../../src-main/engine/fleet'
import { runFleet } from '../../src-main/engine/fleet'
import { parseSite, type Site } from '#shared/site'
import { workerToolsStep } from '../../src-main/engine/steps/worker-tools'
import { applyWorkers, doctorWorkers, planWorkers } from '../../src-main/engine/workers'
import { FleetRecorder } from '../testbed/fleet-events'
import { createNetns, type TestNetns } from '../testbed/netns'
import { sh } from '../testbed/processes'
import { startServedMirror, type ServedMirror } from '../testbed/served-mirror'
import { makeClientKey, startSshd, type TestSshd } from '../testbed/sshd'
import {
  installOlStandin,
  sshTargetOf,
  stopStandinWorkers,
  testConnect,
  type OlBuild,
} from '../testbed/worker-hosts'

/**
 * OpenLambda as it really is: one stand-in `ol` per build (main, which ignores pip_mirror, and
 * the seed manual's, which passes it to pip), sandboxes on a bare Debian root, and the proof
 * read from the mirror's own nginx access log. The worker hosts reach the mirror over a veth
 * link (10.200.203.1), never loopback; the one in the namespace is 10.200.203.2 to the mirror.
 */
const PINS = ['alpha==1.1', 'beta==2.0', "gamma==1.0 ; python_full_version < '3.13'"]

let ns: TestNetns
let mirror: ServedMirror
/** Another index, to point a sandbox's pip at. */
let elsewhere: ServedMirror
let local: TestSshd
let inside: TestSshd
let work: string
let connect: Connect
let pipMirror: string
const ol: Partial<Record<OlBuild, string>> = {}

beforeAll(async () => {
  ns = await createNetns('pmwol', 203)
  mirror = await startServedMirror({ address: '0.0.0.0', requirements: PINS })
  elsewhere = await startServedMirror({ address: '0.0.0.0', requirements: ['alpha==1.1'] })
  local = await startSshd({ host: ns.hostAddress })
  inside = await startSshd({ host: ns.address, netns: ns.name, port: 2222 })
  work = await mkdtemp(join(tmpdir(), 'pmw-openlambda-'))
  await chmod(work, 0o755)
  const key = await makeClientKey(work, 'key')
  await local.authorize('root', key)
  await inside.authorize('root', key)
  ol.main = await installOlStandin(join(work, 'main'), { build: 'main' })
  ol['pip-mirror'] = await installOlStandin(join(work, 'pr261'), { build: 'pip-mirror' })
  connect = testConnect([local, inside], key, join(work, 'known_hosts'))
  pipMirror = `http://${ns.hostAddress}:${mirror.listen.split(':')[1]}/pypi`
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
  await elsewhere?.stop()
  await ns?.remove()
  if (work) await rm(work, { recursive: true, force: true })
})

interface WorkerInput {
  workerDir: string
  build: OlBuild
  onHost: TestSshd
}

function siteWith(workers: WorkerInput[], pythonVersions = ['3.11']): Site {
  return parseSite({
    mirror: {
      ssh: sshTargetOf(local),
      directory: mirror.dir,
      requirements: ['alpha'],
      pythonVersions,
      serve: { listen: mirror.listen, location: '/pypi/' },
    },
    workers: workers.map((w) => ({
      ssh: sshTargetOf(w.onHost),
      workerDir: w.workerDir,
      ol: ol[w.build],
      registryRequirements: ['alpha'],
    })),
  })
}

const labelOf = (sshd: TestSshd, dir: string) => `root@${sshd.host}:${sshd.port}:${dir}`

async function accessLog(): Promise<string> {
  const path = nginxAccessLog(mirror.listen)
  return existsSync(path) ? readFile(path, 'utf8') : ''
}

describe("a worker whose OpenLambda ignores pip_mirror (main) (OpenLambda's `ol`: the stand-in)", () => {
  const dir = () => join(work, 'ns-main')
  const worker = (): WorkerInput => ({ workerDir: dir(), build: 'main', onHost: inside })

  it('says so, plans the sandboxes pip.conf as a diff, and ends proven from the mirror log', async () => {
    const planned = new FleetRecorder()
    await planWorkers(siteWith([worker()]), connect, {}, planned.emit)
    const label = labelOf(inside, dir())
    const sandboxPlan = planned.plan(label, 'worker-sandbox')
    expect(sandboxPlan?.notes[0]).toMatch(/: OpenLambda ignores pip_mirror \(main\)/)
    expect(sandboxPlan?.notes[0]).toContain(
      "its installer runs ['pip3', 'install', '--no-deps', pkg, '--cache-dir', '/tmp/.cache', '-t', '/host/files']",
    )
    expect(sandboxPlan?.changes[0]).toMatchObject({
      kind: 'file',
      path: join(dir(), 'lambda', 'etc', 'pip.conf'),
    })

    const recorder = new FleetRecorder()
    const summary = await applyWorkers(siteWith([worker()]), connect, {}, recorder.emit)
    const host = summary.hosts[0]
    expect(host?.error).toBeUndefined()
    expect(host?.line).toContain(
      "OpenLambda ignores pip_mirror (main): the sandboxes' pip.conf points pip at the mirror",
    )
    expect(host?.line).toContain('sandbox Python 3.11')
    expect(host?.line).toMatch(/installs from the mirror: proven$/)

    const pipConf = await readFile(join(dir(), 'lambda', 'etc', 'pip.conf'), 'utf8')
    expect(pipConf).toContain(`index-url = ${pipMirror}/simple/\n`)
    expect(pipConf).toContain(`trusted-host = ${ns.hostAddress}:${mirror.listen.split(':')[1]}\n`)
    const diff = recorder.plan(label, 'worker-sandbox')?.changes[0]
    expect(diff?.kind === 'file' && diff.diff).toContain(`+index-url = ${pipMirror}/simple/`)

    // The proof is the worker's own request, as the mirror's nginx logged it.
    const proof = recorder.log(label, 'worker-proof').join('\n')
    expect(proof).toContain(
      `chroot ${dir()}/lambda pip3 install --no-deps alpha==1.1 --cache-dir /tmp/.cache -t /host/files installed`,
    )
    expect(proof).toContain(`shows ${ns.address} fetching /pypi/simple/alpha/`)
    expect(await accessLog()).toMatch(
      new RegExp(
        `^${ns.address.replace(/\./g, '\\.')} .*"GET /pypi/simple/alpha/ HTTP/1\\.1" 200 `,
        'm',
      ),
    )
  })

  it("runs a lambda's requirements as OpenLambda does: each line normalised, pip in the sandbox reading its /etc/pip.conf", async () => {
    const registry = join(dir(), 'registry')
    await mkdir(join(registry, 'hello'), { recursive: true })
    await writeFile(join(registry, 'hello', 'f.py'), 'def f(event):\n    return "hi"\n')
    await writeFile(join(registry, 'hello', 'requirements.txt'), 'Beta == 2.0  # from the mirror\n')
    const before = (await accessLog()).length
    const config = JSON.parse(await readFile(join(dir(), 'config.json'), 'utf8')) as {
      worker_port: string
    }
    const answer = await sh('ip', [
      'netns',
      'exec',
      ns.name,
      'python3',
      '-c',
      'import sys, urllib.request; print(urllib.request.urlopen(urllib.request.Request(sys.argv[1], b"{}", method="POST")).read().decode())',
      `http://localhost:${config.worker_port}/run/hello`,
    ])
    expect(JSON.parse(answer)).toMatchObject({
      installs: ['beta==2.0'],
      packages: { 'beta==2.0': { TopLevel: ['beta'] } },
    })
    expect(existsSync(join(dir(), 'lambda', 'packages', 'beta==2.0', 'files', 'beta'))).toBe(true)
    // main's installer names no index: the request came through the sandbox root's pip.conf.
    expect((await accessLog()).slice(before)).toMatch(
      new RegExp(
        `^${ns.address.replace(/\./g, '\\.')} .*"GET /pypi/simple/beta/ HTTP/1\\.1" 200 `,
        'm',
      ),
    )
  })

  it('catches a sandbox whose pip is pointed elsewhere, naming the configuration that wins', async () => {
    const elsewhereUrl = `http://${ns.hostAddress}:${elsewhere.listen.split(':')[1]}/pypi`
    const userConf = join(dir(), 'lambda', 'root', '.config', 'pip', 'pip.conf')
    await mkdir(join(userConf, '..'), { recursive: true })
    await writeFile(
      userConf,
      `[global]\nindex-url = ${elsewhereUrl}/simple/\ntrusted-host = ${ns.hostAddress}\n`,
    )
    try {
      const summary = await applyWorkers(siteWith([worker()]), connect, {}, () => undefined)
      const host = summary.hosts[0]
      expect(host?.failedStep).toBe('worker-proof')
      expect(host?.line).toContain('installs from the mirror: NOT proven')
      expect(host?.error).toContain('pip in the sandbox took it from somewhere else')
      const finding = host?.findings.find((f) => f.title.includes('do not come from the mirror'))
      expect(finding?.evidence).toContain(
        `/root/.config/pip/pip.conf: index-url = ${elsewhereUrl}/simple/`,
      )

      const doctor = await doctorWorkers(siteWith([worker()]), connect, {}, () => undefined)
      const found = doctor.workers[labelOf(inside, dir())]?.findings.find(
        (f) => f.cause === 'ignores-pip-mirror',
      )
      expect(found?.title).toBe(
        `This OpenLambda ignores pip_mirror, and its sandboxes' pip uses ${elsewhereUrl}/simple/`,
      )
    } finally {
      await rm(userConf)
    }
  })
})

describe("a worker whose OpenLambda passes pip_mirror to pip (the seed manual) (OpenLambda's `ol`: the stand-in)", () => {
  it('needs no pip.conf, and ends proven from the mirror log', async () => {
    const dir = join(work, 'local-pr261')
    const recorder = new FleetRecorder()
    const summary = await applyWorkers(
      siteWith([{ workerDir: dir, build: 'pip-mirror', onHost: local }]),
      connect,
      {},
      recorder.emit,
    )
    const host = summary.hosts[0]
    expect(host?.error).toBeUndefined()
    expect(host?.line).toContain('OpenLambda passes pip_mirror to pip')
    expect(host?.line).toMatch(/installs from the mirror: proven$/)
    expect(recorder.plan(labelOf(local, dir), 'worker-sandbox')?.changes).toEqual([])
    expect(existsSync(join(dir, 'lambda', 'etc', 'pip.conf'))).toBe(false)
    const proof = recorder.log(labelOf(local, dir), 'worker-proof').join('\n')
    expect(proof).toContain(
      `pip3 install --no-deps alpha==1.1 --cache-dir /tmp/.cache -t /host/files --index-url=${pipMirror}/simple/ --trusted-host=${ns.hostAddress}:${mirror.listen.split(':')[1]} -vvv installed`,
    )
    expect(proof).toContain(`shows ${ns.hostAddress} fetching /pypi/simple/alpha/`)
  })
})

describe("the sandboxes' Python (OpenLambda's `ol`: the stand-in)", () => {
  it('is read from the base with chroot, and a site without it is warned with its one-click fix', async () => {
    const dir = join(work, 'python-warn')
    const recorder = new FleetRecorder()
    await applyWorkers(
      siteWith([{ workerDir: dir, build: 'main', onHost: local }], ['3.10', '3.11']),
      connect,
      {},
      () => undefined,
    )
    await planWorkers(
      siteWith([{ workerDir: dir, build: 'main', onHost: local }], ['3.10']),
      connect,
      {},
      recorder.emit,
    )
    const label = labelOf(local, dir)
    expect(recorder.plan(label, 'worker-sandbox')?.notes[1]).toMatch(
      new RegExp(
        `^the sandboxes run Python 3\\.11\\.\\d+ \\(chroot ${dir}/lambda python3 --version\\)$`,
      ),
    )
    const warning = recorder
      .findings(label)
      .find((f) => f.title.startsWith('The sandboxes run Python'))
    expect(warning).toMatchObject({
      severity: 'warning',
      title: 'The sandboxes run Python 3.11, which the mirror is not proven for (it has 3.10)',
      action: { kind: 'add-python', pythonVersion: '3.11' },
    })

    // An operator's own pip.conf in the base: the plan shows what changes, the previous is kept.
    const pipConf = join(dir, 'lambda', 'etc', 'pip.conf')
    const own = '[global]\ntimeout = 30\nextra-index-url = https://pypi.org/simple\n'
    await writeFile(pipConf, own)
    const again = new FleetRecorder()
    await planWorkers(
      siteWith([{ workerDir: dir, build: 'main', onHost: local }]),
      connect,
      {},
      again.emit,
    )
    const change = again.plan(label, 'worker-sandbox')?.changes[0]
    const lines = (change?.kind === 'file' ? change.diff : '').split('\n')
    expect(lines).toContain('-extra-index-url = https://pypi.org/simple')
    expect(lines).toContain(`+index-url = ${pipMirror}/simple/`)
    expect(lines).toContain(' timeout = 30')
    await applyWorkers(
      siteWith([{ workerDir: dir, build: 'main', onHost: local }]),
      connect,
      {},
      () => undefined,
    )
    const backups = (await readdir(join(dir, 'lambda', 'etc'))).filter((f) =>
      f.startsWith('pip.conf.pmw-backup-'),
    )
    expect(backups).toHaveLength(1)
    expect(await readFile(join(dir, 'lambda', 'etc', backups[0] as string), 'utf8')).toBe(own)
  })
})

describe("the doctor (OpenLambda's `ol`: the stand-in)", () => {
  it('finds requirement lines OpenLambda will mangle, and an ignored pip_mirror with no pip.conf', async () => {
    const dir = join(work, 'ns-main')
    const txt = join(dir, 'registry', 'requirements.txt')
    const pipConf = join(dir, 'lambda', 'etc', 'pip.conf')
    const [savedTxt, savedConf] = [await readFile(txt, 'utf8'), await readFile(pipConf, 'utf8')]
    await writeFile(txt, ['alpha==1.1 \\', '    --hash=sha256:0000', '-r other.txt', ''].join('\n'))
    await rm(pipConf)
    try {
      const report = await doctorWorkers(
        siteWith([{ workerDir: dir, build: 'main', onHost: inside }]),
        connect,
        {},
        () => undefined,
      )
      const findings = report.workers[labelOf(inside, dir)]?.findings ?? []
      const mangled = findings.filter((f) => f.cause === 'mangled-line')
      expect(mangled.map((f) => f.evidence)).toEqual([
        `${txt}:1: alpha==1.1 \\ → pip install --no-deps "alpha==1.1\\" (a continued line: OpenLambda installs each line on its own, so this one and the next are two broken arguments)`,
        `${txt}:2: --hash=sha256:0000 → pip install --no-deps "--hash=sha256:0000" (a hash line: OpenLambda passes it to pip as if it were a package)`,
        `${txt}:3: -r other.txt → pip install --no-deps "-rother.txt" (an include or editable line: pip gets "-rother.txt", a file or path that does not exist in the sandbox)`,
      ])
      const ignored = findings.find((f) => f.cause === 'ignores-pip-mirror')
      expect(ignored?.title).toBe(
        "This OpenLambda ignores pip_mirror, and its sandboxes' pip uses pypi.org (no index-url set)",
      )
      expect(ignored?.fix).toContain(`writes ${pipConf} with index-url ${pipMirror}/simple/`)
    } finally {
      await writeFile(txt, savedTxt)
      await writeFile(pipConf, savedConf)
    }
  })
})
