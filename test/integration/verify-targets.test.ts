import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readFile } from 'node:fs/promises'
import { applyHostPlan } from '../../src-main/engine/plan/apply-host'
import { planSteps } from '../../src-main/engine/plan/plan-host'
import { runSteps } from '../../src-main/engine/run'
import { parseSite, type MirrorSite } from '#shared/site'
import { requirementsStep } from '../../src-main/engine/steps/requirements'
import { workerToolsStep } from '../../src-main/engine/steps/worker-tools'
import { RemoteHost } from '../../src-main/engine/ssh/remote-host'
import { mirrorLayout, VENV_PYTHON } from '../../src-main/engine/steps/mirror-layout'
import { buildSystemsPath } from '../../src-main/engine/verify/build-systems-file'
import type { TargetMatrix } from '../../src-main/engine/verify/matrix-types'
import { proveTargets } from '../../src-main/engine/verify/prove-targets'
import { platformTags } from '../../src-main/engine/verify/tags'
import { siteTargets, type Target } from '../../src-main/engine/verify/targets'
import { addBuildBackendWheels, addStandinSdist, addStandinWheel } from '../testbed/extra-wheel'
import { startOverlayHost } from '../testbed/overlay-host'
import { execFileAsync } from '../testbed/processes'
import {
  buildStandinWheels,
  ensureToolsVenv,
  standinClientEnv,
  startPypiStandin,
} from '../testbed/pypi-standin'
import { startServedMirror, type ServedMirror } from '../testbed/served-mirror'
import { makeClientKey, startSshd, type TestSshd } from '../testbed/sshd'

/**
 * The matrix against the tools themselves: real pip (`pip download --only-binary=:all:
 * --python-version --platform`), real uv (`uv pip install --dry-run --python-version
 * --python-platform`, which also evaluates markers for the target) and a real sdist build, all
 * against a real bandersnatch mirror served by the machine's nginx.
 */

const X86 = 'manylinux_2_17_x86_64.manylinux2014_x86_64'
const ARM = 'manylinux_2_17_aarch64.manylinux2014_aarch64'

/** As the mirror's requirements.txt would pin them (uv pip compile --universal). */
const PINS = [
  'alpha==1.1',
  'corelib==2.0',
  'abi3lib==1.0',
  'newlib==2.0',
  "oldhelper==1.0 ; python_full_version < '3.11'",
  'builtlib==1.0',
]
const BACKEND = ['pmw-build==1.0', 'pmw-build-support==1.0']

let work: string
let mirror: ServedMirror
let sshd: TestSshd
let host: RemoteHost
let site: MirrorSite
let pip: string
let uv: string
let wheels: string

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pmw-verify-targets-'))
  await chmod(work, 0o755)
  wheels = join(work, 'upstream')
  await buildStandinWheels(wheels)
  // The 3.10 gap: CPython 3.11 and 3.13 wheels only, and x86_64 only.
  await addStandinWheel(wheels, { name: 'corelib', version: '2.0', tag: `cp311-cp311-${X86}` })
  await addStandinWheel(wheels, { name: 'corelib', version: '2.0', tag: `cp313-cp313-${X86}` })
  // The stable ABI: one wheel per CPU for every CPython from 3.8 on.
  await addStandinWheel(wheels, { name: 'abi3lib', version: '1.0', tag: `cp38-abi3-${X86}` })
  await addStandinWheel(wheels, { name: 'abi3lib', version: '1.0', tag: `cp38-abi3-${ARM}` })
  // A requires-python exclusion.
  await addStandinWheel(wheels, {
    name: 'newlib',
    version: '2.0',
    tag: 'py3-none-any',
    requiresPython: '>=3.11',
  })
  // A marker-only dependency: CPython 3.10 wheels only, needed only below 3.11.
  await addStandinWheel(wheels, { name: 'oldhelper', version: '1.0', tag: `cp310-cp310-${X86}` })
  await addStandinWheel(wheels, { name: 'oldhelper', version: '1.0', tag: `cp310-cp310-${ARM}` })
  // An sdist only, built with pmw-build (which needs pmw-build-support).
  await addStandinSdist(wheels, { name: 'builtlib', version: '1.0', buildRequires: ['pmw-build'] })
  await addBuildBackendWheels(wheels)

  mirror = await startServedMirror({
    address: '127.0.0.1',
    requirements: PINS,
    pythonVersions: ['3.10', '3.11'],
    wheelsDir: wheels,
  })
  site = parseSite({
    mirror: {
      ssh: { host: '127.0.0.1', port: 22, user: 'root' },
      directory: mirror.dir,
      requirements: ['alpha'],
      pythonVersions: ['3.10', '3.11'],
      architectures: ['x86_64', 'aarch64'],
      serve: { listen: mirror.listen, location: '/pypi/' },
    },
  }).mirror
  // What the resolution records for builtlib's sdist (its pyproject.toml's build-system).
  await writeFile(
    buildSystemsPath(mirrorLayout(site)),
    JSON.stringify({
      'builtlib==1.0': {
        requires: ['pmw-build'],
        backend: 'pmw_build',
        source: 'pyproject.toml',
        closure: BACKEND,
      },
    }),
  )

  sshd = await startSshd()
  const key = await makeClientKey(work, 'key')
  await sshd.authorize('root', key)
  host = await RemoteHost.connect(
    { host: sshd.host, port: sshd.port, user: 'root', identityFile: key.path },
    {
      credentials: {},
      trust: {
        knownHostsPath: join(work, 'known_hosts'),
        acceptFingerprint: sshd.hostKeyFingerprint,
      },
    },
  )
  const tools = await ensureToolsVenv()
  pip = tools.pip
  uv = tools.uv
})

afterAll(async () => {
  host?.close()
  await sshd?.stop()
  await mirror?.stop()
  if (work) await rm(work, { recursive: true, force: true })
})

function table(matrix: TargetMatrix): string[][] {
  return matrix.rows.map((row) => [
    `${row.name}==${row.version}`,
    ...row.cells.map((cell) =>
      cell.state === 'installs' && cell.via === 'sdist' ? 'builds' : cell.state,
    ),
  ])
}

async function succeeds(file: string, args: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(file, args, {
      env: standinClientEnv(),
      maxBuffer: 16 << 20,
    })
    return { ok: true, output: stdout + stderr }
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string }
    return { ok: false, output: stdout + stderr }
  }
}

/** Real pip, as on the target: only wheels, its Python version and every platform tag it takes. */
function pipDownload(pin: string, target: Target, dir: string) {
  return succeeds(pip, [
    'download',
    '--no-deps',
    '--only-binary=:all:',
    '--python-version',
    target.python,
    '--implementation',
    'cp',
    ...platformTags(target).flatMap((p) => ['--platform', p]),
    '--index-url',
    `${mirror.url}/simple`,
    '-d',
    dir,
    pin.split(' ; ')[0] as string,
  ])
}

/** Real uv, as on the target: markers evaluated for it, wheels only. */
function uvDryRun(line: string, target: Target, dir: string) {
  return succeeds(uv, [
    'pip',
    'install',
    '--dry-run',
    '--no-deps',
    '--no-config',
    '--no-cache',
    '--only-binary',
    ':all:',
    '--python',
    '/usr/bin/python3',
    '--python-version',
    target.python,
    '--python-platform',
    `${target.arch}-manylinux_2_35`,
    '--target',
    dir,
    '--index-url',
    `${mirror.url}/simple`,
    line,
  ])
}

describe('the matrix of a mirror with a 3.10 gap, an exclusion, a marker and an sdist', () => {
  let matrix: TargetMatrix

  beforeAll(async () => {
    matrix = (await proveTargets(host, site)).matrix
  })

  it('says what pip does on each target', () => {
    expect(matrix.targets.map((t) => t.label)).toEqual([
      'CPython 3.10, Linux x86_64 (glibc 2.35)',
      'CPython 3.10, Linux aarch64 (glibc 2.35)',
      'CPython 3.11, Linux x86_64 (glibc 2.35)',
      'CPython 3.11, Linux aarch64 (glibc 2.35)',
    ])
    expect(table(matrix)).toEqual([
      ['alpha==1.1', 'installs', 'installs', 'installs', 'installs'],
      ['corelib==2.0', 'no-file', 'no-file', 'installs', 'no-file'],
      ['abi3lib==1.0', 'installs', 'installs', 'installs', 'installs'],
      ['newlib==2.0', 'requires-python', 'requires-python', 'installs', 'installs'],
      ['oldhelper==1.0', 'installs', 'installs', 'not-needed', 'not-needed'],
      ['builtlib==1.0', 'backend-missing', 'backend-missing', 'backend-missing', 'backend-missing'],
    ])
    expect(matrix.failures).toBe(9)
    const corelib = matrix.rows[1]?.cells[0]
    expect(corelib?.fix).toContain('corelib 2.0 has wheels for cp311, cp313 only, not CPython 3.10')
    expect(matrix.rows[5]?.cells[2]?.reason).toContain(
      'the mirror lacks pmw-build==1.0, pmw-build-support==1.0 for this target',
    )
  })

  it('agrees with pip download and uv on every wheel cell', async () => {
    const targets = siteTargets(site)
    const disagreements: string[] = []
    for (const [r, row] of matrix.rows.entries()) {
      if (row.name === 'builtlib') continue
      for (const [t, cell] of row.cells.entries()) {
        const target = targets[t] as Target
        const dir = await mkdtemp(join(work, 'dl-'))
        const line = PINS[r] as string
        const installs = cell.state === 'installs'
        const byUv = await uvDryRun(line, target, dir)
        const uvInstalls = byUv.ok && /Would install 1 package/.test(byUv.output)
        if (cell.state === 'not-needed') {
          if (!byUv.ok || uvInstalls) disagreements.push(`uv needs ${line} on ${cell.target}`)
          continue
        }
        const byPip = await pipDownload(line, target, dir)
        if (byPip.ok !== installs)
          disagreements.push(
            `pip ${byPip.ok ? 'downloads' : 'refuses'} ${line} on ${cell.target}: matrix ${cell.state}\n${byPip.output.slice(-400)}`,
          )
        if (uvInstalls !== installs)
          disagreements.push(
            `uv ${uvInstalls ? 'installs' : 'refuses'} ${line} on ${cell.target}: matrix ${cell.state}\n${byUv.output.slice(-400)}`,
          )
      }
    }
    expect(disagreements).toEqual([])
  })

  it('names the backend pip builds the sdist with: missing, half there, then mirrored', async () => {
    // This machine's pip (CPython 3.11, Linux x86_64) builds the sdist from the mirror.
    const build = async () =>
      succeeds(pip, [
        'download',
        '--no-deps',
        '--no-cache-dir',
        '--index-url',
        `${mirror.url}/simple`,
        '-d',
        await mkdtemp(join(work, 'sd-')),
        'builtlib==1.0',
      ])
    const cell = async () => (await proveTargets(host, site)).matrix.rows[5]?.cells[2]

    const missing = await build()
    expect(missing.ok).toBe(false)
    expect(missing.output).toMatch(/No matching distribution found for pmw-build/)
    expect((await cell())?.state).toBe('backend-missing')

    await mirror.resync([...PINS, 'pmw-build==1.0'])
    const half = await build()
    expect(half.ok).toBe(false)
    expect(half.output).toMatch(/pmw.build.support/)
    const halfCell = await cell()
    expect(halfCell?.state).toBe('backend-missing')
    expect(halfCell?.reason).toContain('the mirror lacks pmw-build-support==1.0 for this target')

    await mirror.resync([...PINS, ...BACKEND])
    expect((await build()).ok).toBe(true)
    const built = await cell()
    expect(built).toMatchObject({ state: 'installs', via: 'sdist', file: 'builtlib-1.0.tar.gz' })
    expect(built?.reason).toBe(
      'builds builtlib-1.0.tar.gz with pmw-build (pyproject.toml), all served by the mirror',
    )
  })

  it('proves without downloading a file: pages and HEAD requests only', async () => {
    const { cost } = await proveTargets(host, site)
    expect(cost.pages).toBe(PINS.length + BACKEND.length)
    // The bytes are the pages'; every file together is larger than all of them.
    expect(cost.bytes).toBeLessThan(PINS.length * 2000)
    expect(cost.files).toBeGreaterThan(0)
  })
})

/** The site of the resolution tests: alpha, and builtlib (an sdist built with pmw-build). */
function resolvingSite(
  upstream: string,
  directory: string,
  ssh = { host: sshd.host, port: sshd.port, user: 'root' },
) {
  return parseSite({
    mirror: {
      ssh,
      directory,
      upstream,
      allowNonHttps: true,
      requirements: ['alpha', 'builtlib'],
      pythonVersions: ['3.10', '3.11'],
      architectures: ['x86_64', 'aarch64'],
      serve: { listen: mirror.listen, location: '/pypi/' },
    },
  })
}

const BUILT_BY =
  'builtlib==1.0 builds from builtlib-1.0.tar.gz on 4 target(s): build-system.requires pmw-build (pyproject.toml) → pmw-build==1.0, pmw-build-support==1.0'
const BUILD_SYSTEMS = {
  'builtlib==1.0': {
    requires: ['pmw-build'],
    backend: 'pmw_build',
    source: 'pyproject.toml',
    closure: ['pmw-build==1.0', 'pmw-build-support==1.0'],
  },
}

function expectBackendSection(txt: string): void {
  expect(txt).toContain('builtlib==1.0\n')
  expect(txt).toContain('pmw-build==1.0\n    # via build backend of builtlib==1.0\n')
  expect(txt).toContain('pmw-build-support==1.0\n    # via build backend of builtlib==1.0\n')
}

describe('the resolution', () => {
  it('pins and mirrors the build backend of an sdist-only pin, marked as such: in the plan, whole', async () => {
    const upstream = await startPypiStandin({ wheelsDir: wheels })
    try {
      const resolving = resolvingSite(upstream.url, mirror.dir)
      // uv at the product's version first: the plan then resolves, and holds both files whole.
      const tools = await runSteps(
        [workerToolsStep()],
        host,
        resolving,
        { mode: 'apply' },
        () => {},
      )
      expect(tools.error).toBeUndefined()
      const steps = [requirementsStep]
      const plan = await planSteps(steps, host, resolving, {}, () => undefined)
      expect(plan.error).toBeNull()
      const planned = plan.planned.find((step) => step.id === 'requirements')
      expect(planned?.notes).toContain(BUILT_BY)
      const layout = mirrorLayout(resolving.mirror)
      const files = new Map(
        (planned?.changes ?? []).flatMap((c) => (c.kind === 'file' ? [[c.path, c.content]] : [])),
      )
      // No resolver runs at apply: what was read and approved is what is written.
      const resolver = (planned?.changes ?? []).filter(
        (c) => c.kind === 'derive' || (c.kind === 'command' && c.argv.includes('compile')),
      )
      expect(resolver).toEqual([])
      expectBackendSection(files.get(layout.requirementsTxt) ?? '')
      expect(files.get(layout.requirementsTxt)).toContain(
        `alpha==1.1\n    # via -r ${layout.requirementsIn}\n`,
      )
      expect(JSON.parse(files.get(buildSystemsPath(layout)) ?? '{}')).toEqual(BUILD_SYSTEMS)

      const summary = await applyHostPlan(plan, steps, host, resolving, {}, () => undefined)
      expect(summary.error).toBeUndefined()
      const txt = await readFile(layout.requirementsTxt, 'utf8')
      expect(txt).toBe(files.get(layout.requirementsTxt))
      expect(JSON.parse(await readFile(buildSystemsPath(layout), 'utf8'))).toEqual(BUILD_SYSTEMS)

      // bandersnatch mirrors what the resolution wrote; the proof then builds the sdist.
      await mirror.resync(txt.split('\n').filter(Boolean))
      const { matrix } = await proveTargets(host, resolving.mirror)
      expect(table(matrix)).toEqual([
        ['alpha==1.1', 'installs', 'installs', 'installs', 'installs'],
        ['beta==2.0', 'installs', 'installs', 'installs', 'installs'],
        ['builtlib==1.0', 'builds', 'builds', 'builds', 'builds'],
        ['gamma==1.0', 'installs', 'no-file', 'installs', 'no-file'],
        ['winhelper==1.0', 'not-needed', 'not-needed', 'not-needed', 'not-needed'],
        ['pmw-build-support==1.0', 'installs', 'installs', 'installs', 'installs'],
        ['pmw-build==1.0', 'installs', 'installs', 'installs', 'installs'],
      ])
      expect(matrix.rows.filter((r) => r.role === 'build-backend').map((r) => r.name)).toEqual([
        'pmw-build-support',
        'pmw-build',
      ])
    } finally {
      await upstream.stop()
    }
  })

  it('on a host where the same plan installs uv: the compile, then a derive change that may write only the two files', async () => {
    const upstream = await startPypiStandin({ wheelsDir: wheels })
    // A throw-away copy of this machine whose tools venv has no uv (as on a bare host).
    const bare = await startOverlayHost()
    try {
      await bare.sh(`${VENV_PYTHON} -m pip uninstall -y -q uv`)
      const target = await bare.connect()
      try {
        const resolving = resolvingSite(upstream.url, '/srv/pmw-derive', {
          host: bare.host,
          port: bare.port,
          user: 'root',
        })
        const layout = mirrorLayout(resolving.mirror)
        const steps = [workerToolsStep(), requirementsStep]
        const plan = await planSteps(steps, target, resolving, {}, () => undefined)
        expect(plan.error).toBeNull()
        const changes = plan.planned.find((step) => step.id === 'requirements')?.changes ?? []
        const compile = changes.findIndex((c) => c.kind === 'command' && c.argv.includes('compile'))
        expect(compile).toBeGreaterThanOrEqual(0)
        expect(changes[compile + 1]).toMatchObject({
          kind: 'derive',
          routine: 'build-backends',
          writes: [layout.requirementsTxt, buildSystemsPath(layout)],
        })
        expect(changes.some((c) => c.kind === 'file' && c.path === layout.requirementsTxt)).toBe(
          false,
        )

        const log: string[] = []
        const summary = await applyHostPlan(plan, steps, target, resolving, {}, (event) => {
          if (event.type === 'log') log.push(event.line)
        })
        expect(summary.error).toBeUndefined()
        expect(log).toContain(BUILT_BY)
        expectBackendSection(await bare.sh(`cat ${layout.requirementsTxt}`))
        expect(JSON.parse(await bare.sh(`cat ${buildSystemsPath(layout)}`))).toEqual(BUILD_SYSTEMS)
      } finally {
        target.close()
      }
    } finally {
      await bare.stop()
      await upstream.stop()
    }
  })
})
