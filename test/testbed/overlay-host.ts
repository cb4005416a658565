import { spawn, type ChildProcess } from 'node:child_process'
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { RemoteHost } from '../../src-main/engine/ssh/remote-host'
import { freePort, sh, stopProcess, waitFor } from './processes'
import { fingerprintOfKeyFile, makeClientKey, type ClientKey } from './sshd'

const SCRIPT = fileURLToPath(new URL('./overlay-host.sh', import.meta.url))

/**
 * A throw-away copy of this machine, for tests whose failure would damage it (a repair that
 * chmods /etc/shadow): a real sshd in its own PID and mount namespaces, chrooted into an
 * overlay of this machine's root whose upper layer is a tmpfs. Whatever the product (or the
 * test) writes there, /etc and /root included, lands in memory and vanishes when the
 * namespaces end; nothing it starts outlives them. The lighter cousin of a debootstrap bare
 * host: it starts in about a second with what this machine has installed (nginx, python3).
 * It shares this machine's network: sshd and the nginx it starts listen on free loopback ports.
 */
export interface OverlayHost {
  host: string
  port: number
  hostKeyFingerprint: string
  key: ClientKey
  knownHosts: string
  work: string
  /** Logs in as root over SSH. */
  connect(): Promise<RemoteHost>
  /** Runs a shell script as root inside the overlay (not over SSH); returns its stdout. */
  sh(script: string, args?: readonly string[]): Promise<string>
  /** `mode uid:gid` of each path (a shell glob) inside the overlay, as a path → value map. */
  modes(globs: readonly string[]): Promise<Map<string, string>>
  /** The type, mode and owner of every entry written, created or deleted inside so far. */
  writes(): Promise<Map<string, string>>
  /**
   * The paths whose type, mode or owner differ now from `before` (a `writes()` result; for
   * entries not in it, from this machine's own): every permission change made anywhere inside.
   */
  permissionChangesSince(before: Map<string, string>): Promise<string[]>
  /**
   * Starts nginx inside with only this site enabled (none of this machine's sites), and
   * waits until it answers on `listen`.
   */
  serveSite(name: string, text: string, listen: string): Promise<void>
  stop(): Promise<void>
}

function listening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host)
    socket.once('data', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

/** This machine's own entry at `path`, as `writes()` shows one (`%y %m %U:%G`). */
async function lowerEntry(path: string): Promise<string | null> {
  const out = await sh('find', [path, '-maxdepth', '0', '-printf', '%y %m %U:%G']).catch(() => '')
  return out || null
}

function childPid(pid: number): Promise<number | null> {
  return readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').then(
    (text) => Number(text.trim().split(/\s+/)[0]) || null,
    () => null,
  )
}

export async function startOverlayHost(): Promise<OverlayHost> {
  const host = '127.0.0.1'
  const port = await freePort(host)
  const work = await mkdtemp(join(tmpdir(), 'pmw-overlay-host-'))
  await chmod(work, 0o755)
  await mkdir(join(work, 'overlay'))
  await mkdir(join(work, 'authorized_keys'), { mode: 0o755 })
  const hostKeyPath = join(work, 'host_ed25519')
  await sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKeyPath])
  const key = await makeClientKey(work, 'root_key')
  await writeFile(join(work, 'authorized_keys', 'root'), `${key.publicKey}\n`, { mode: 0o644 })
  await writeFile(
    join(work, 'sshd_config'),
    [
      `ListenAddress ${host}:${port}`,
      `HostKey ${hostKeyPath}`,
      `AuthorizedKeysFile ${join(work, 'authorized_keys')}/%u`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'MaxSessions 30',
      'MaxStartups 100:30:200',
      'LogLevel VERBOSE',
      'Subsystem sftp internal-sftp',
      '',
    ].join('\n'),
  )
  // setpriv: if this test process dies, unshare dies, and --kill-child takes the namespaces'
  // first process (and with it every process inside) along.
  const child: ChildProcess = spawn(
    'setpriv',
    [
      '--pdeathsig',
      'KILL',
      '--',
      'unshare',
      '--pid',
      '--fork',
      '--kill-child',
      '--mount',
      '--propagation',
      'private',
      '--',
      'sh',
      SCRIPT,
      work,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  let nsPid: number | null = null
  const stop = async (): Promise<void> => {
    await stopProcess(child)
    await rm(work, { recursive: true, force: true })
  }
  try {
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`the overlay host exited: ${stderr}`)
      nsPid ??= child.pid ? await childPid(child.pid) : null
      return nsPid !== null && (await listening(host, port))
    }, `the overlay host's sshd on ${host}:${port}`)
  } catch (error) {
    await stop()
    throw error
  }
  const inside = (argv: readonly string[], root = true): Promise<string> =>
    sh('nsenter', [
      '--target',
      String(nsPid),
      '--mount',
      '--pid',
      ...(root ? ['--root', '--wd'] : []),
      '--',
      ...argv,
    ])
  const knownHosts = join(work, 'known_hosts')
  const hostKeyFingerprint = await fingerprintOfKeyFile(`${hostKeyPath}.pub`)
  const upper = join(work, 'overlay', 'upper')
  const writes = async (): Promise<Map<string, string>> => {
    const out = await inside(
      ['find', upper, '-mindepth', '1', '-printf', '/%P\t%y %m %U:%G\n'],
      false,
    )
    return new Map(
      out
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split('\t') as [string, string]),
    )
  }
  return {
    host,
    port,
    hostKeyFingerprint,
    key,
    knownHosts,
    work,
    connect: () =>
      RemoteHost.connect(
        { host, port, user: 'root', identityFile: key.path },
        {
          credentials: {},
          trust: { knownHostsPath: knownHosts, acceptFingerprint: hostKeyFingerprint },
        },
      ),
    sh: (script, args = []) => inside(['sh', '-c', script, 'sh', ...args]),
    async modes(globs) {
      // $g unquoted on purpose: each is a glob such as /etc/ssh/ssh_host_*_key.
      const out = await inside([
        'sh',
        '-c',
        `for g in "$@"; do stat --printf '%n\\t%a %u:%g\\n' -- $g; done`,
        'sh',
        ...globs,
      ])
      return new Map(
        out
          .split('\n')
          .filter(Boolean)
          .map((line) => line.split('\t') as [string, string]),
      )
    },
    writes,
    async permissionChangesSince(before) {
      const changed: string[] = []
      for (const [path, now] of await writes()) {
        const was = before.get(path) ?? (await lowerEntry(path))
        if (was !== now) changed.push(path)
      }
      return changed.sort()
    },
    async serveSite(name, text, listen) {
      await inside([
        'sh',
        '-c',
        'set -e; rm -rf /etc/nginx/sites-enabled; mkdir /etc/nginx/sites-enabled; ' +
          'printf %s "$2" > "/etc/nginx/sites-available/$1"; ' +
          'ln -s "/etc/nginx/sites-available/$1" "/etc/nginx/sites-enabled/$1"; nginx -t -q; nginx',
        'sh',
        name,
        text,
      ])
      await waitFor(
        () =>
          fetch(`http://${listen}/`).then(
            () => true,
            () => false,
          ),
        `nginx in the overlay host on ${listen}`,
      )
    },
    stop,
  }
}
