import { spawn, type ChildProcess } from 'node:child_process'
import { openSync, closeSync, readFileSync } from 'node:fs'
import { chmod, copyFile, mkdir, readFile, rm } from 'node:fs/promises'
import { connect } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { SshTarget } from '#shared/site'
import { sh, waitFor } from '../processes'
import { attachHost, type HostLink } from './network'
import { ensureBareRoot, type DebianSuite } from './roots'

const START_SCRIPT = fileURLToPath(new URL('./host-start.sh', import.meta.url))
const INIT_SCRIPT = fileURLToPath(new URL('./host-init.py', import.meta.url))
/** Each host's overlay layers and console log, one directory per host; the sweep empties it. */
export const HOSTS_DIR = '/tmp/pmw-bare-hosts'

export interface BareHostSpec {
  suite: DebianSuite
  /** 1..200: the host's address is 10.213.1.<10 + index>. */
  index: number
  /** The hostname, and what the host is called in messages. */
  name: string
  /** What its admin set up when installing it: run after every start, reset() included. */
  prepare?: (host: BareHost) => Promise<void>
}

export interface ExecResult {
  code: number
  stdout: string
  stderr: string
}

export interface BareHost {
  name: string
  suite: DebianSuite
  address: string
  /** Its sshd's ed25519 key fingerprint (SHA256:...), as `ssh-keygen -l` prints it. */
  hostKeyFingerprint: string
  /** The host's first process, as this machine numbers it. */
  pid(): number
  /** How the engine reaches it: only over SSH, at its own address, port 22. */
  sshTarget(user?: string): SshTarget
  /** Runs argv inside the host as root (for the test's own setup and assertions only). */
  exec(argv: readonly string[], options?: { input?: string }): Promise<ExecResult>
  /** `exec` that throws unless the command exits 0; returns stdout. */
  run(argv: readonly string[], options?: { input?: string }): Promise<string>
  /** A daemon runs in this host (its own /proc, not this machine's). */
  hasProcess(comm: string): Promise<boolean>
  /** A fresh copy of the cached root again, at the same address (the host "reinstalled"). */
  reset(): Promise<void>
  stop(): Promise<void>
}

const INSIDE_ENV = [
  'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  'HOME=/root',
  'LANG=C.UTF-8',
]

function sshAnswers(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(22, address)
    socket.setTimeout(1000, () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('data', (data) => {
      socket.destroy()
      resolve(data.toString().startsWith('SSH-'))
    })
    socket.once('error', () => resolve(false))
  })
}

function firstChild(pid: number): number | null {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim()
    return children ? Number(children.split(' ')[0]) : null
  } catch {
    return null
  }
}

function collect(child: ChildProcess, input?: string): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
    child.once('error', reject)
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
    // A command that does not read its input may exit before it is written.
    child.stdin?.on('error', () => undefined)
    child.stdin?.end(input ?? '')
  })
}

/**
 * Starts one bare host: a fresh overlay over the cached root of its suite, in its own PID, mount,
 * UTS and network namespaces, with Debian's own sshd on port 22 at 10.213.1.<10 + index>.
 * The test network (network.ts) must exist.
 */
export async function startBareHost(spec: BareHostSpec): Promise<BareHost> {
  const lower = await ensureBareRoot(spec.suite)
  const link: HostLink = await attachHost(spec.index)
  const dir = join(HOSTS_DIR, link.netns)
  const layers = { upper: join(dir, 'upper'), work: join(dir, 'work'), root: join(dir, 'root') }
  let child: ChildProcess | undefined
  let initPid = 0
  let hostKeyFingerprint = ''

  const start = async (): Promise<void> => {
    await rm(dir, { recursive: true, force: true })
    for (const path of Object.values(layers)) await mkdir(path, { recursive: true })
    // The init goes straight into the upper layer; its directories keep the root's modes.
    const sbin = join(layers.upper, 'usr/local/sbin')
    await mkdir(sbin, { recursive: true, mode: 0o755 })
    await copyFile(INIT_SCRIPT, join(sbin, 'pmw-test-init'))
    await chmod(join(sbin, 'pmw-test-init'), 0o755)
    const console = openSync(join(dir, 'console.log'), 'a')
    child = spawn(
      'ip',
      [
        'netns',
        'exec',
        link.netns,
        'unshare',
        '--pid',
        '--fork',
        '--mount',
        '--uts',
        '--propagation',
        'private',
        '--',
        'sh',
        START_SCRIPT,
        lower,
        layers.upper,
        layers.work,
        layers.root,
        spec.name,
      ],
      { stdio: ['ignore', console, console], detached: true },
    )
    closeSync(console)
    const started = child
    try {
      await waitFor(
        async () => {
          if (started.exitCode !== null) throw new Error('the host exited')
          return sshAnswers(link.address)
        },
        `sshd of ${spec.name} on ${link.address}:22`,
        60_000,
      )
    } catch (error) {
      const log = await readFile(join(dir, 'console.log'), 'utf8').catch(() => '')
      throw new Error(`bare host ${spec.name} did not start: ${(error as Error).message}\n${log}`, {
        cause: error,
      })
    }
    initPid = firstChild(started.pid as number) ?? 0
    if (!initPid) throw new Error(`bare host ${spec.name}: no first process`)
    const pub = await host.run(['cat', '/etc/ssh/ssh_host_ed25519_key.pub'])
    hostKeyFingerprint = (
      await sh('ssh-keygen', ['-l', '-E', 'sha256', '-f', '-'], { input: pub })
    ).split(/\s+/)[1] as string
    await spec.prepare?.(host)
  }

  const kill = async (): Promise<void> => {
    const running = child
    if (!running || running.exitCode !== null || running.signalCode !== null) return
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()))
    // The first process of a PID namespace takes every other process of it along.
    if (initPid) process.kill(initPid, 'SIGKILL')
    else running.kill('SIGKILL')
    await exited
    // Its processes die asynchronously: the overlay is unmounted once the last one is gone.
    await waitFor(
      async () => (await sh('ip', ['netns', 'pids', link.netns]).catch(() => '')).trim() === '',
      `the processes of ${spec.name} to end`,
    )
  }

  const exec = (argv: readonly string[], options: { input?: string } = {}): Promise<ExecResult> =>
    collect(
      spawn(
        'nsenter',
        [
          '--target',
          String(initPid),
          '--mount',
          '--uts',
          '--net',
          '--pid',
          '--root',
          '--wd',
          '--',
          'env',
          '-i',
          ...INSIDE_ENV,
          ...argv,
        ],
        { stdio: ['pipe', 'pipe', 'pipe'] },
      ),
      options.input,
    )

  const host: BareHost = {
    name: spec.name,
    suite: spec.suite,
    address: link.address,
    get hostKeyFingerprint() {
      return hostKeyFingerprint
    },
    pid: () => initPid,
    sshTarget: (user = 'root') => ({ host: link.address, port: 22, user }),
    exec,
    async run(argv, options) {
      const result = await exec(argv, options)
      if (result.code !== 0)
        throw new Error(
          `${spec.name}: ${argv.join(' ')} exited ${result.code}: ${result.stderr || result.stdout}`,
        )
      return result.stdout
    },
    async hasProcess(comm) {
      const result = await exec(['ps', '-C', comm, '-o', 'stat=,pid='])
      return result.stdout.split('\n').some((line) => /^\s*[^Z\s]/.test(line))
    },
    async reset() {
      await kill()
      await start()
    },
    async stop() {
      await kill()
      await link.remove()
      await rm(dir, { recursive: true, force: true })
    },
  }
  try {
    await start()
  } catch (error) {
    await host.stop().catch(() => undefined)
    throw error
  }
  return host
}

/** Leftovers of a crashed run: each host's layers (its processes are gone with its netns). */
export async function sweepHostDirs(): Promise<void> {
  await rm(HOSTS_DIR, { recursive: true, force: true })
}
