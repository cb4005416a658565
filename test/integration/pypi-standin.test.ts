import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFile, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { createInterface } from 'node:readline'
import {
  BANDERSNATCH_VERSION,
  GAMMA_WHEELS,
  STANDIN_INPUT,
  STANDIN_LAST_SERIAL,
  STANDIN_MARKER_DEPS,
  STANDIN_OUTSIDER,
  STANDIN_PROJECTS,
  STANDIN_WHEELS,
  SYSTEM_PYTHON,
  buildStandinWheels,
  ensureToolsVenv,
  standinClientEnv,
  startPypiStandin,
  type PypiStandin,
  type ToolsVenv,
} from '../testbed/pypi-standin'

interface Result {
  code: number
  stdout: string
  stderr: string
}

/** Runs a tool against the stand-in only; never throws, the caller asserts on the result. */
function tool(file: string, args: string[], cwd?: string): Promise<Result> {
  return new Promise((resolve) => {
    const options = { cwd, env: standinClientEnv(), timeout: 120_000, maxBuffer: 32 << 20 }
    execFile(file, args, options, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0
      resolve({ code, stdout, stderr })
    })
  })
}

async function mustRun(file: string, args: string[], cwd?: string): Promise<Result> {
  const result = await tool(file, args, cwd)
  if (result.code !== 0) {
    const output = `${result.stdout}\n${result.stderr}`.trim()
    throw new Error(`${basename(file)} ${args.join(' ')} exited ${result.code}:\n${output}`)
  }
  return result
}

interface Pin {
  name: string
  version: string
  marker: string
}

/** `name==version ; marker` lines of a compiled requirements file. */
function pins(text: string): Pin[] {
  return [...text.matchAll(/^([A-Za-z0-9._-]+)==([^\s;\\]+)\s*(?:;\s*([^\\\n]*?))?\s*\\?$/gm)].map(
    (m) => ({ name: m[1]!, version: m[2]!, marker: m[3] ?? '' }),
  )
}

const ALL_PLUGINS = ['project_requirements', 'project_requirements_pinned', 'exclude_platform']

/** The bandersnatch.conf the product writes, pointed at the stand-in. */
function bandersnatchConf(options: {
  directory: string
  master: string
  requirementsDir: string
  requirements: string
  pluginsBlock?: string
}): string {
  const { directory, master, requirementsDir, requirements, pluginsBlock } = options
  const plugins = pluginsBlock ?? ALL_PLUGINS.map((p) => `\n    ${p}`).join('')
  return `[mirror]
directory = ${directory}
master = ${master}
allow-non-https = true
storage-backend = filesystem
json = false
release-files = true
hash-index = false
simple-format = ALL
workers = 2
timeout = 10
global-timeout = 600
stop-on-error = true

[plugins]
enabled =${plugins}

[allowlist]
requirements_path = ${requirementsDir}
requirements =
    ${requirements}

[blocklist]
platforms =
    windows
    macos
`
}

/** Every file under `dir`, relative, sorted. */
async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort()
}

async function mirroredWheels(mirror: string): Promise<string[]> {
  const files = await tree(join(mirror, 'web/packages'))
  return files.map((f) => basename(f)).sort()
}

/** The stand-in's request log, reduced to what was asked for. */
async function asked(standin: PypiStandin): Promise<string[]> {
  return (await standin.requests()).map((line) => {
    const [, method, path, , rest] = line.split(' ')
    if (path?.startsWith('/packages/')) return `${method} file ${basename(path)}`
    const rpc = rest?.startsWith('rpc=') ? ` ${rest}` : ''
    return `${method} ${path}${rpc}`
  })
}

/** `python3 -m http.server` on `dir`: a stand-in for nginx serving the mirror's web/. */
async function serveDirectory(dir: string): Promise<{ url: string; stop(): void }> {
  const args = ['-u', '-m', 'http.server', '--bind', '127.0.0.1', '--directory', dir, '0']
  const child = spawn(SYSTEM_PYTHON, args, { stdio: ['ignore', 'pipe', 'ignore'] })
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('http.server did not start')), 15_000)
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /port (\d+)/.exec(line)
      if (match) {
        clearTimeout(timer)
        resolve(match[1]!)
      }
    })
  })
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() }
}

const sha256 = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex')

describe('pypi stand-in', () => {
  let tools: ToolsVenv
  let standin: PypiStandin
  let work: string
  // Written by the compile tests, mirrored by the bandersnatch test, installed by the pip test.
  let requirementsDir: string
  let mirror: string

  beforeAll(async () => {
    tools = await ensureToolsVenv()
    standin = await startPypiStandin()
    work = await mkdtemp(join(tmpdir(), 'pypi-standin-'))
    requirementsDir = join(work, 'requirements')
    mirror = join(work, 'mirror')
    await mkdir(requirementsDir)
    await writeFile(join(requirementsDir, 'requirements.in'), `${STANDIN_INPUT}\n`)
  })

  afterAll(async () => {
    await standin?.stop()
    if (work) await rm(work, { recursive: true, force: true })
  })

  it('serves the graph it advertises, built reproducibly', async () => {
    const served = (await readdir(standin.wheelsDir)).filter((f) => f.endsWith('.whl')).sort()
    expect(served).toEqual([...STANDIN_WHEELS].sort())
    const again = await buildStandinWheels(join(work, 'rebuilt'))
    for (const wheel of again) {
      expect(await sha256(join(work, 'rebuilt', wheel))).toBe(
        await sha256(join(standin.wheelsDir, wheel)),
      )
    }

    const index = await fetch(`${standin.url}/simple/`, {
      headers: { Accept: 'application/vnd.pypi.simple.v1+json' },
    })
    expect(index.headers.get('content-type')).toBe('application/vnd.pypi.simple.v1+json')
    const projects = ((await index.json()) as { projects: { name: string }[] }).projects
    expect(projects.map((p) => p.name)).toEqual(Object.keys(STANDIN_PROJECTS).sort())

    const alpha = await fetch(`${standin.url}/pypi/alpha/json`)
    expect(Number(alpha.headers.get('x-pypi-last-serial'))).toBeGreaterThan(0)
    const body = (await alpha.json()) as { releases: Record<string, { url: string }[]> }
    expect(Object.keys(body.releases)).toEqual(STANDIN_PROJECTS.alpha)
    expect(body.releases['1.1']![0]!.url.startsWith(`${standin.url}/packages/`)).toBe(true)

    const beta = (await (await fetch(`${standin.url}/pypi/beta/json`)).json()) as {
      info: { requires_dist: string[] }
    }
    expect(beta.info.requires_dist).toEqual(
      Object.entries(STANDIN_MARKER_DEPS).map(([name, marker]) => `${name}; ${marker}`),
    )

    const page = await (await fetch(`${standin.url}/simple/beta/`)).text()
    expect(page).toMatch(/#sha256=[0-9a-f]{64}" [^>]*data-requires-python="&gt;=3.9"/)
  })

  /**
   * uv resolving requirements.in for all platforms. Without --python and --no-python-downloads,
   * a --python-version it cannot find on PATH sends it to GitHub for an interpreter first.
   */
  const uvCompile = (extra: string[], out: string) =>
    mustRun(
      tools.uv,
      [
        ...['pip', 'compile', '--universal', '--python', SYSTEM_PYTHON, '--no-python-downloads'],
        ...['--no-config', '--no-cache', '--index-url', `${standin.url}/simple`, ...extra],
        ...['requirements.in', '-o', out],
      ],
      requirementsDir,
    )

  it('uv pip compile --universal pins the closure, marker dependencies included', async () => {
    await uvCompile(['--python-version', '3.11'], 'uv.txt')
    const universal = pins(await readFile(join(requirementsDir, 'uv.txt'), 'utf8'))
    expect(universal).toEqual([
      { name: 'alpha', version: '1.1', marker: '' },
      { name: 'beta', version: '2.0', marker: '' },
      // uv rewrites python_version < "3.13" into this form
      { name: 'gamma', version: '1.0', marker: "python_full_version < '3.13'" },
      { name: 'winhelper', version: '1.0', marker: "sys_platform == 'win32'" },
    ])

    // From 3.8 up, beta forks: 2.0 needs Python >= 3.9. The mirror needs both pins.
    await uvCompile(['--python-version', '3.8'], 'requirements.txt')
    const forked = pins(await readFile(join(requirementsDir, 'requirements.txt'), 'utf8'))
    expect(forked.filter((p) => p.name === 'beta')).toEqual([
      { name: 'beta', version: '1.0', marker: "python_full_version < '3.9'" },
      { name: 'beta', version: '2.0', marker: "python_full_version >= '3.9'" },
    ])
    expect(forked.map((p) => p.name)).not.toContain(STANDIN_OUTSIDER)
  })

  it('pip-compile resolves too, but for this interpreter only', async () => {
    await mustRun(
      tools.pipCompile,
      [
        ...['--no-config', '--strip-extras', '--index-url', `${standin.url}/simple`],
        ...['--pip-args', '--no-cache-dir', '-o', 'pip-tools.txt', 'requirements.in'],
      ],
      requirementsDir,
    )
    const compiled = pins(await readFile(join(requirementsDir, 'pip-tools.txt'), 'utf8'))
    // The win32-only winhelper is dropped: not a universal resolution.
    expect(compiled.map((p) => `${p.name}==${p.version}`)).toEqual([
      'alpha==1.1',
      'beta==2.0',
      'gamma==1.0',
    ])
  })

  it(`bandersnatch ${BANDERSNATCH_VERSION} mirrors exactly the pinned closure`, async () => {
    expect(existsSync(join(requirementsDir, 'requirements.txt'))).toBe(true)
    const conf = join(work, 'bandersnatch.conf')
    await writeFile(
      conf,
      bandersnatchConf({
        directory: mirror,
        master: standin.url,
        requirementsDir,
        requirements: 'requirements.txt',
      }),
    )
    await standin.clearRequests()
    await mustRun(tools.bandersnatch, ['-c', conf, 'mirror'])

    const files = await tree(mirror)
    for (const project of ['alpha', 'beta', 'gamma', 'winhelper']) {
      expect(files).toContain(`web/simple/${project}/index.html`)
      expect(files).toContain(`web/simple/${project}/index.v1_json`)
    }
    expect(files.some((f) => f.includes(STANDIN_OUTSIDER))).toBe(false)
    expect(await mirroredWheels(mirror)).toEqual(
      [
        'alpha-1.1-py3-none-any.whl',
        'beta-1.0-py3-none-any.whl',
        'beta-2.0-py3-none-any.whl',
        GAMMA_WHEELS.linux,
        'winhelper-1.0-py3-none-any.whl',
      ].sort(),
    )
    expect(files).toContain('generation')
    expect(files).not.toContain('todo')
    expect((await readFile(join(mirror, 'status'), 'utf8')).trim()).toBe(`${STANDIN_LAST_SERIAL}`)
    const alphaPage = await readFile(join(mirror, 'web/simple/alpha/index.html'), 'utf8')
    expect(alphaPage).toContain('href="../../packages/')
    expect(alphaPage).not.toContain('alpha-1.0')

    // 6.x lists projects over XML-RPC, then reads the JSON API of the allowed ones only.
    const first = await asked(standin)
    expect(first[0]).toBe('POST /pypi rpc=list_packages_with_serial')
    expect(first.filter((r) => r.includes('/json')).sort()).toEqual([
      'GET /pypi/alpha/json',
      'GET /pypi/beta/json',
      'GET /pypi/gamma/json',
      'GET /pypi/winhelper/json',
    ])
    expect(first.some((r) => r.includes('/simple'))).toBe(false)

    // A second sync with nothing new asks for the changelog since the saved serial, and only that.
    await standin.clearRequests()
    await mustRun(tools.bandersnatch, ['-c', conf, 'mirror'])
    expect(await asked(standin)).toEqual(['POST /pypi rpc=changelog_since_serial'])
  })

  it('pip installs every pin from the mirror served over HTTP', async () => {
    expect(existsSync(join(mirror, 'web/simple/index.html'))).toBe(true)
    const server = await serveDirectory(join(mirror, 'web'))
    try {
      const index = `${server.url}/simple`
      const dest = join(work, 'downloads')
      const forked = pins(await readFile(join(requirementsDir, 'requirements.txt'), 'utf8'))
      // One `--no-deps name==version` per pin, as OpenLambda installs; markers are not evaluated.
      for (const pin of forked) {
        const spec = `${pin.name}==${pin.version}`
        await mustRun(tools.pip, ['download', '--no-deps', '--index-url', index, '-d', dest, spec])
      }
      expect((await readdir(dest)).length).toBe(forked.length)

      // The Windows wheel that upstream has was filtered out.
      const windowsGamma = (from: string, dest: string) =>
        tool(tools.pip, [
          ...['download', '--no-deps', '--only-binary=:all:', '--platform', 'win_amd64'],
          ...['--index-url', from, '-d', join(work, dest), 'gamma==1.0'],
        ])
      expect((await windowsGamma(`${standin.url}/simple`, 'windows-upstream')).code).toBe(0)
      const fromMirror = await windowsGamma(index, 'windows-mirror')
      expect(fromMirror.code).not.toBe(0)
      expect(fromMirror.stderr).toContain('No matching distribution found for gamma==1.0')

      const target = join(work, 'site')
      const install = ['install', '--no-deps', '--index-url', index, '-t', target, 'alpha']
      await mustRun(tools.pip, install)
      const imported = await mustRun(SYSTEM_PYTHON, [
        '-c',
        `import sys; sys.path.insert(0, ${JSON.stringify(target)}); import alpha; print(alpha.__version__)`,
      ])
      expect(imported.stdout.trim()).toBe('1.1')
    } finally {
      server.stop()
    }
  })

  it(`bandersnatch ${BANDERSNATCH_VERSION} needs hash-free requirements and one plugin per line`, async () => {
    await uvCompile(['--generate-hashes'], 'hashed.txt')
    const base = { master: standin.url, requirementsDir }
    const hashedConf = join(work, 'hashed.conf')
    const hashedMirror = join(work, 'hashed-mirror')
    await writeFile(
      hashedConf,
      bandersnatchConf({ ...base, directory: hashedMirror, requirements: 'hashed.txt' }),
    )
    const crashed = await tool(tools.bandersnatch, ['-c', hashedConf, 'mirror'])
    expect(crashed.code).not.toBe(0)
    expect(crashed.stderr).toContain('InvalidRequirement')
    expect(existsSync(join(hashedMirror, 'status'))).toBe(false)

    // "enabled = a b c" on one line names no plugin at all: everything is mirrored.
    const oneLineConf = join(work, 'one-line.conf')
    const oneLineMirror = join(work, 'one-line-mirror')
    await writeFile(
      oneLineConf,
      bandersnatchConf({
        ...base,
        directory: oneLineMirror,
        requirements: 'requirements.txt',
        pluginsBlock: ` ${ALL_PLUGINS.join(' ')}`,
      }),
    )
    await mustRun(tools.bandersnatch, ['-c', oneLineConf, 'mirror'])
    expect(await mirroredWheels(oneLineMirror)).toEqual([...STANDIN_WHEELS].sort())
  })
})
