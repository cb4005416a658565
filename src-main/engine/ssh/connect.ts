import { Client, type AuthenticationType, type ConnectConfig } from 'ssh2'
import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { EngineError } from '../errors'
import type { SshTarget } from '#shared/site'
import {
  HostKeyChangedError,
  KnownHosts,
  UnknownHostKeyError,
  fingerprintOf,
  hostKeyAlgorithmsFor,
  keyTypeOf,
  knownHostsName,
  type HostKeyInfo,
} from './host-keys'

/** Secrets for one host, held only in memory by the caller. */
export interface Credentials {
  password?: string
  passphrase?: string
  /** Defaults to `password` when not given. */
  sudoPassword?: string
  /** ssh-agent socket; defaults to `SSH_AUTH_SOCK`. */
  agentSocket?: string
}

export interface HostKeyTrust {
  knownHostsPath: string
  /** A fingerprint the operator confirmed (e.g. `--accept-host-key SHA256:...`). */
  acceptFingerprint?: string
  /** Asked on first contact; resolving true stores the key. */
  confirm?: (key: HostKeyInfo) => Promise<boolean>
}

export interface ConnectOptions {
  credentials: Credentials
  trust: HostKeyTrust
  readyTimeoutMs?: number
}

const SUPPORTED_HOST_KEY_ALGORITHMS = new Set([
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
])

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? homedir() + path.slice(1) : path
}

async function authConfig(
  target: SshTarget,
  credentials: Credentials,
): Promise<Partial<ConnectConfig>> {
  const config: Partial<ConnectConfig> = { username: target.user }
  const methods: AuthenticationType[] = []
  const agent = credentials.agentSocket ?? process.env.SSH_AUTH_SOCK
  const wants = target.auth
  if (target.identityFile && (wants === undefined || wants === 'key')) {
    const path = expandHome(target.identityFile)
    try {
      config.privateKey = await readFile(path)
    } catch (error) {
      throw new EngineError(`Cannot read the SSH key file ${path}: ${(error as Error).message}`, {
        hint: 'choose an existing private key file (for example ~/.ssh/id_ed25519)',
      })
    }
    if (credentials.passphrase) config.passphrase = credentials.passphrase
    methods.push('publickey')
  }
  if (agent && (wants === undefined || wants === 'agent')) {
    config.agent = agent
    methods.push('agent')
  }
  if (credentials.password !== undefined && (wants === undefined || wants === 'password')) {
    config.password = credentials.password
    config.tryKeyboard = true
    methods.push('password', 'keyboard-interactive')
  }
  if (methods.length === 0) {
    throw new EngineError(`No way to log in to ${target.user}@${target.host} was given`, {
      hint:
        wants === 'agent'
          ? 'start ssh-agent and add your key (ssh-add), so SSH_AUTH_SOCK is set'
          : 'choose a key file, use the ssh-agent, or enter a password',
    })
  }
  config.authHandler = methods
  return config
}

function friendlyConnectError(
  error: Error & { code?: string; level?: string },
  target: SshTarget,
): Error {
  const where = `${target.host}:${target.port}`
  if (error instanceof EngineError) return error
  if (error.level === 'client-authentication')
    return new EngineError(`${target.user}@${where} refused every login method offered`, {
      host: where,
      hint: 'check the user name, the key (is its public half in ~/.ssh/authorized_keys?) or the password',
      cause: error,
    })
  if (/passphrase/i.test(error.message))
    return new EngineError('The SSH key is protected by a passphrase', {
      host: where,
      hint: 'enter the key passphrase, or add the key to ssh-agent and log in with the agent',
      cause: error,
    })
  if (error.code === 'ECONNREFUSED')
    return new EngineError(`Nothing accepts SSH connections at ${where}`, {
      host: where,
      hint: 'check the host and port, and that sshd is running there',
      cause: error,
    })
  if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN')
    return new EngineError(`The host name ${target.host} does not resolve`, {
      host: where,
      hint: 'check the spelling, or use an IP address',
      cause: error,
    })
  if (error.code === 'ETIMEDOUT' || /timed out/i.test(error.message))
    return new EngineError(`No answer from ${where}`, {
      host: where,
      hint: 'check the address, the port, and any firewall between you and the host',
      cause: error,
    })
  return new EngineError(`SSH to ${where} failed: ${error.message}`, { host: where, cause: error })
}

/**
 * One attempt: known keys must match exactly; an unknown key is accepted only when its fingerprint
 * was confirmed beforehand. Never accepts silently.
 */
async function connectOnce(
  target: SshTarget,
  options: ConnectOptions,
  acceptFingerprint: string | undefined,
): Promise<{ client: Client; hostKey: HostKeyInfo }> {
  const knownHosts = new KnownHosts(options.trust.knownHostsPath)
  const stored = await knownHosts.keysFor(target.host, target.port)
  const known = stored.filter((k) => !k.revoked)
  const revoked = stored.filter((k) => k.revoked)
  const auth = await authConfig(target, options.credentials)
  const algorithms = hostKeyAlgorithmsFor([...new Set(known.map((k) => k.keyType))]).filter((a) =>
    SUPPORTED_HOST_KEY_ALGORITHMS.has(a),
  )

  let offered: HostKeyInfo | undefined
  let offeredBlob: Buffer | undefined
  let verdict: 'trusted' | 'new' | 'unknown' | 'changed' | 'revoked' = 'unknown'
  const client = new Client()
  return new Promise((resolve, reject) => {
    client.once('ready', () => {
      // Commands are small request/answer exchanges: Nagle's algorithm would hold each one back.
      client.setNoDelay(true)
      if (verdict === 'new' && offeredBlob) {
        knownHosts.add(target.host, target.port, offeredBlob).then(
          () => resolve({ client, hostKey: offered as HostKeyInfo }),
          (error: unknown) => {
            client.end()
            reject(error)
          },
        )
      } else resolve({ client, hostKey: offered as HostKeyInfo })
    })
    client.once('error', (error: Error & { code?: string; level?: string }) => {
      // ssh2 may report more after the first failure (a handshake timeout); only the first counts.
      client.on('error', () => undefined)
      client.end()
      if (offered && verdict === 'changed')
        return reject(
          new HostKeyChangedError(
            offered,
            known.map((k) => `${k.keyType} ${fingerprintOf(k.blob)}`),
            knownHosts.path,
          ),
        )
      if (offered && verdict === 'revoked')
        return reject(
          new EngineError(
            `The host key ${offered.fingerprint} of ${knownHostsName(target.host, target.port)} is marked @revoked`,
            { hint: 'do not connect; ask the server administrator' },
          ),
        )
      if (offered && verdict === 'unknown') return reject(new UnknownHostKeyError(offered))
      reject(friendlyConnectError(error, target))
    })
    client.connect({
      host: target.host,
      port: target.port,
      ...auth,
      readyTimeout: options.readyTimeoutMs ?? 20_000,
      keepaliveInterval: 15_000,
      keepaliveCountMax: 4,
      ...(algorithms.length > 0 ? { algorithms: { serverHostKey: algorithms as never } } : {}),
      hostVerifier: (key: Buffer): boolean => {
        offeredBlob = Buffer.from(key)
        offered = {
          host: target.host,
          port: target.port,
          keyType: keyTypeOf(key),
          fingerprint: fingerprintOf(key),
        }
        if (revoked.some((k) => k.blob.equals(key))) verdict = 'revoked'
        else if (known.length > 0)
          verdict = known.some((k) => k.blob.equals(key)) ? 'trusted' : 'changed'
        else verdict = acceptFingerprint === offered.fingerprint ? 'new' : 'unknown'
        return verdict === 'trusted' || verdict === 'new'
      },
    })
  })
}

/** Opens one SSH connection, asking the operator on first contact through `trust.confirm`. */
export async function openConnection(
  target: SshTarget,
  options: ConnectOptions,
): Promise<{ client: Client; hostKey: HostKeyInfo }> {
  try {
    return await connectOnce(target, options, options.trust.acceptFingerprint)
  } catch (error) {
    if (!(error instanceof UnknownHostKeyError) || !options.trust.confirm) throw error
    if (!(await options.trust.confirm(error.key))) throw error
    return connectOnce(target, options, error.key.fingerprint)
  }
}
