import { spawn, type ChildProcess } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile, chmod } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect } from 'node:net'
import { freePort, sh, stopProcess, waitFor } from './processes'

export interface ClientKey {
  path: string
  publicKey: string
  passphrase?: string
}

export interface TestSshd {
  host: string
  port: number
  dir: string
  hostKeyPath: string
  hostKeyFingerprint: string
  logPath: string
  /** Lets a key log in as a user (root included). */
  authorize(user: string, key: ClientKey): Promise<void>
  /** Restarts on the same port with a new host key (a "changed" server). */
  replaceHostKey(): Promise<string>
  stop(): Promise<void>
}

export async function makeClientKey(
  dir: string,
  name: string,
  passphrase = '',
): Promise<ClientKey> {
  const path = join(dir, name)
  await sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', name, '-f', path])
  const publicKey = (await readFile(`${path}.pub`, 'utf8')).trim()
  return passphrase ? { path, publicKey, passphrase } : { path, publicKey }
}

export async function fingerprintOfKeyFile(publicKeyPath: string): Promise<string> {
  const out = await sh('ssh-keygen', ['-l', '-E', 'sha256', '-f', publicKeyPath])
  return out.split(/\s+/)[1] as string
}

function portAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host)
    socket.once('data', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

/**
 * A real OpenSSH server on a loopback port with its own config, host key and authorized_keys
 * in a temp dir. `netns` runs it inside a network namespace the test created.
 */
export async function startSshd(
  options: { host?: string; port?: number; netns?: string } = {},
): Promise<TestSshd> {
  const host = options.host ?? '127.0.0.1'
  const port = options.port ?? (await freePort(host))
  const dir = await mkdtemp(join(tmpdir(), 'pmw-sshd-'))
  await chmod(dir, 0o755)
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 })
  await mkdir(join(dir, 'authorized_keys'), { mode: 0o755 })
  const hostKeyPath = join(dir, 'host_ed25519')
  const logPath = join(dir, 'sshd.log')
  const configPath = join(dir, 'sshd_config')
  await writeFile(
    configPath,
    [
      `ListenAddress ${host}:${port}`,
      `HostKey ${hostKeyPath}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}/%u`,
      'PermitRootLogin yes',
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'UsePAM no',
      'StrictModes no',
      'MaxSessions 30',
      'MaxStartups 100:30:200',
      'LogLevel VERBOSE',
      'Subsystem sftp internal-sftp',
      '',
    ].join('\n'),
  )
  let child: ChildProcess | undefined
  const start = async (): Promise<void> => {
    await sh('sshd', ['-t', '-f', configPath]).catch(async () =>
      sh('/usr/sbin/sshd', ['-t', '-f', configPath]),
    )
    const argv = ['/usr/sbin/sshd', '-D', '-e', '-f', configPath, '-E', logPath]
    const [file, args] = options.netns
      ? ['ip', ['netns', 'exec', options.netns, ...argv]]
      : [argv[0] as string, argv.slice(1)]
    child = spawn(file, args as string[], { stdio: 'ignore' })
    const started = child
    await waitFor(
      async () => started.exitCode === null && (await portAnswersIn(options.netns, host, port)),
      `sshd on ${host}:${port}`,
    )
  }
  const newHostKey = async (): Promise<string> => {
    await rm(hostKeyPath, { force: true })
    await rm(`${hostKeyPath}.pub`, { force: true })
    await sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKeyPath])
    return fingerprintOfKeyFile(`${hostKeyPath}.pub`)
  }
  let hostKeyFingerprint = await newHostKey()
  await start()
  return {
    host,
    port,
    dir,
    hostKeyPath,
    get hostKeyFingerprint() {
      return hostKeyFingerprint
    },
    logPath,
    async authorize(user, key) {
      const file = join(dir, 'authorized_keys', user)
      const existing = await readFile(file, 'utf8').catch(() => '')
      await writeFile(file, `${existing}${key.publicKey}\n`, { mode: 0o644 })
    },
    async replaceHostKey() {
      if (child) await stopProcess(child)
      hostKeyFingerprint = await newHostKey()
      await start()
      return hostKeyFingerprint
    },
    async stop() {
      if (child) await stopProcess(child)
      await rm(dir, { recursive: true, force: true })
    },
  }
}

async function portAnswersIn(
  netns: string | undefined,
  host: string,
  port: number,
): Promise<boolean> {
  if (!netns) return portAnswers(host, port)
  return sh('ip', [
    'netns',
    'exec',
    netns,
    'bash',
    '-c',
    `exec 3<>/dev/tcp/${host}/${port} && head -c 4 <&3`,
  ]).then(
    (out) => out.startsWith('SSH'),
    () => false,
  )
}
