import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, readdir, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const execFileAsync = promisify(execFile)

/** Debian 12's Python 3.11: what a Debian mirror host runs bandersnatch with. */
export const SYSTEM_PYTHON = '/usr/bin/python3'

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
export const STANDIN_DIR = join(repoRoot, 'test/standins/pypi')
export const CACHE_DIR = join(repoRoot, '.cache')

/** What build_wheels.py publishes (its GRAPH); the integration test checks the two agree. */
export const STANDIN_PROJECTS: Readonly<Record<string, readonly string[]>> = {
  alpha: ['1.0', '1.1'],
  beta: ['1.0', '2.0'],
  gamma: ['1.0'],
  winhelper: ['1.0'],
  outsider: ['1.0'],
}

/** gamma 1.0 is the one project with platform wheels. */
export const GAMMA_WHEELS = {
  linux: 'gamma-1.0-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
  windows: 'gamma-1.0-py3-none-win_amd64.whl',
  macos: 'gamma-1.0-py3-none-macosx_11_0_arm64.whl',
} as const

export const STANDIN_WHEELS: readonly string[] = [
  'alpha-1.0-py3-none-any.whl',
  'alpha-1.1-py3-none-any.whl',
  'beta-1.0-py3-none-any.whl',
  'beta-2.0-py3-none-any.whl',
  ...Object.values(GAMMA_WHEELS),
  'winhelper-1.0-py3-none-any.whl',
  'outsider-1.0-py3-none-any.whl',
]

/** One serial per file, as on PyPI: the index's serial after the initial scan. */
export const STANDIN_LAST_SERIAL = STANDIN_WHEELS.length

/** The requirement the tests resolve, and what it must not pull in. */
export const STANDIN_INPUT = 'alpha'
export const STANDIN_OUTSIDER = 'outsider'
/** beta's marker dependencies, as written in its METADATA. */
export const STANDIN_MARKER_DEPS = {
  gamma: 'python_version < "3.13"',
  winhelper: 'sys_platform == "win32"',
} as const

export interface PypiStandin {
  /** e.g. http://127.0.0.1:41234 (bandersnatch's `master`; pip's index is `${url}/simple`) */
  url: string
  port: number
  wheelsDir: string
  /** The server's request log so far, one line per request ("standin: GET /simple/ 200 ..."). */
  requests(): Promise<string[]>
  /** Forgets the request log, e.g. between two syncs. */
  clearRequests(): Promise<void>
  stop(): Promise<void>
}

let builtWheels: Promise<string> | undefined

/** Builds the wheels once per build_wheels.py version into .cache/ and returns the directory. */
export function standinWheels(): Promise<string> {
  builtWheels ??= buildCachedWheels()
  return builtWheels
}

async function buildCachedWheels(): Promise<string> {
  const script = join(STANDIN_DIR, 'build_wheels.py')
  const digest = createHash('sha256').update(readFileSync(script)).digest('hex').slice(0, 12)
  const dir = join(CACHE_DIR, 'pypi-standin', `wheels-${digest}`)
  if (existsSync(dir)) return dir
  const staging = `${dir}.tmp-${process.pid}`
  await buildStandinWheels(staging)
  try {
    await rename(staging, dir)
  } catch (error) {
    // Another process finished the same build first: its copy is identical.
    await rm(staging, { recursive: true, force: true })
    if (!existsSync(dir)) throw error
  }
  return dir
}

/** Builds a fresh copy of the wheels into `dir`, for tests that add or change files. */
export async function buildStandinWheels(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true })
  await execFileAsync(SYSTEM_PYTHON, ['-B', join(STANDIN_DIR, 'build_wheels.py'), dir])
  return (await readdir(dir)).filter((name) => name.endsWith('.whl')).sort()
}

/** Starts server.py on a free port and resolves once it prints that port. */
export async function startPypiStandin(
  options: {
    host?: string
    wheelsDir?: string
    fileDelaySeconds?: number
    /** Licences, yanks and advisories the JSON API reports (see standin-advisories.ts). */
    advisoriesFile?: string
  } = {},
): Promise<PypiStandin> {
  const host = options.host ?? '127.0.0.1'
  const wheelsDir = options.wheelsDir ?? (await standinWheels())
  const child = spawn(
    SYSTEM_PYTHON,
    // -B: no __pycache__ next to the sources in the repository
    [
      '-B',
      join(STANDIN_DIR, 'server.py'),
      '--wheels',
      wheelsDir,
      '--host',
      host,
      '--port',
      '0',
      '--file-delay',
      String(options.fileDelaySeconds ?? 0),
      ...(options.advisoriesFile ? ['--advisories', options.advisoriesFile] : []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let log: string[] = []
  createInterface({ input: child.stderr }).on('line', (line) => log.push(line))
  const port = await firstLinePort(child, child.stdout, () => log.join('\n'))
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`

  // The log arrives over a pipe, possibly after the client saw its response: a marker request
  // that shows up in the log proves every earlier request is there too.
  let marks = 0
  const settle = async () => {
    const mark = `/_standin/mark?n=${++marks}`
    await (await fetch(`${url}${mark}`)).text()
    await waitUntil(() => log.some((line) => line.includes(` ${mark} `)), 'the request log')
  }
  return {
    url,
    port,
    wheelsDir,
    requests: async () => {
      await settle()
      return log.filter((line) => line.startsWith('standin: ') && !line.includes('/_standin/'))
    },
    clearRequests: async () => {
      await settle()
      log = []
    },
    stop: () => stopChild(child),
  }
}

async function waitUntil(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

function firstLinePort(
  child: ChildProcess,
  stdout: Readable,
  stderr: () => string,
  timeoutMs = 15_000,
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const fail = (why: string) => {
      child.kill('SIGKILL')
      reject(new Error(`pypi stand-in did not start: ${why}\n${stderr()}`))
    }
    const timer = setTimeout(() => fail(`no port line within ${timeoutMs} ms`), timeoutMs)
    child.once('error', (error) => fail(error.message))
    child.once('exit', (code) => fail(`exited with ${code}`))
    createInterface({ input: stdout }).once('line', (line) => {
      clearTimeout(timer)
      child.removeAllListeners('exit')
      const port = Number(line.trim())
      if (Number.isInteger(port) && port > 0) resolve(port)
      else fail(`unexpected first line ${JSON.stringify(line)}`)
    })
  })
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
    setTimeout(() => child.kill('SIGKILL'), 3000).unref()
  })
}

/**
 * An environment for pip, pip-compile, uv and bandersnatch that reaches the stand-in only:
 * no pip.conf (this machine's adds extra indexes and find-links), no PIP_/UV_ settings, no proxy.
 */
export function standinClientEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(PIP_|UV_|VIRTUAL_ENV$|PYTHONPATH$)/.test(key) || /_proxy$/i.test(key)) continue
    env[key] = value
  }
  return {
    ...env,
    PIP_CONFIG_FILE: '/dev/null',
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    PIP_NO_INPUT: '1',
    PIP_NO_CACHE_DIR: '1',
    ...extra,
  }
}

/** Tools that talk to the stand-in, pinned, in a venv of Debian's Python, reused across runs. */
export const TOOLS_VENV = join(CACHE_DIR, 'bandersnatch-venv')
export const BANDERSNATCH_VERSION = '6.6.0'
const TOOLS = [`bandersnatch==${BANDERSNATCH_VERSION}`, 'uv', 'pip-tools']

export interface ToolsVenv {
  python: string
  pip: string
  bandersnatch: string
  uv: string
  pipCompile: string
}

function toolsIn(venv: string): ToolsVenv {
  const bin = join(venv, 'bin')
  return {
    python: join(bin, 'python'),
    pip: join(bin, 'pip'),
    bandersnatch: join(bin, 'bandersnatch'),
    uv: join(bin, 'uv'),
    pipCompile: join(bin, 'pip-compile'),
  }
}

async function hasTools(tools: ToolsVenv): Promise<boolean> {
  if (!Object.values(tools).every((path) => existsSync(path))) return false
  try {
    const { stdout } = await execFileAsync(tools.bandersnatch, ['--version'])
    return stdout.includes(BANDERSNATCH_VERSION)
  } catch {
    return false
  }
}

/**
 * Creates .cache/bandersnatch-venv with `python3 -m venv` and installs bandersnatch, uv and
 * pip-tools from PyPI (pip's own configuration applies here: this is the one step that needs
 * the real registry). Reuses the venv when it already has them.
 */
export async function ensureToolsVenv(): Promise<ToolsVenv> {
  const tools = toolsIn(TOOLS_VENV)
  if (await hasTools(tools)) return tools
  await run(
    SYSTEM_PYTHON,
    ['-m', 'venv', '--clear', TOOLS_VENV],
    'python3 -m venv failed; Debian needs the python3-venv package (apt-get install -y python3-venv)',
  )
  await run(tools.pip, ['install', '--quiet', ...TOOLS], `pip install ${TOOLS.join(' ')} failed`)
  if (!(await hasTools(tools))) throw new Error(`${TOOLS_VENV} still lacks ${TOOLS.join(', ')}`)
  return tools
}

async function run(file: string, args: string[], failure: string): Promise<void> {
  try {
    await execFileAsync(file, args, { maxBuffer: 16 * 1024 * 1024, timeout: 600_000 })
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string }
    throw new Error(`${failure}\n${stderr || message}`, { cause: error })
  }
}
