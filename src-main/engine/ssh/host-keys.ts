import { createHash, createHmac, randomBytes } from 'node:crypto'
import { mkdir, readFile, appendFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { EngineError } from '../errors'

/** OpenSSH's SHA256 fingerprint of a raw public key blob: `SHA256:` + unpadded base64. */
export function fingerprintOf(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`
}

/** The key type named at the start of an SSH wire-format public key blob (e.g. `ssh-ed25519`). */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) throw new Error('not an SSH public key')
  const length = keyBlob.readUInt32BE(0)
  return keyBlob.subarray(4, 4 + length).toString('ascii')
}

/** How OpenSSH names a host in known_hosts: bare for port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`
}

export interface HostKeyInfo {
  host: string
  port: number
  keyType: string
  fingerprint: string
}

export class UnknownHostKeyError extends EngineError {
  override name = 'UnknownHostKeyError'
  constructor(readonly key: HostKeyInfo) {
    super(
      `The host key of ${knownHostsName(key.host, key.port)} is not known yet: ${key.keyType} ${key.fingerprint}`,
      {
        host: knownHostsName(key.host, key.port),
        hint: `check this fingerprint on the server (ssh-keygen -lf /etc/ssh/ssh_host_${key.keyType.replace(/^ssh-/, '')}_key.pub) and confirm it, or pass --accept-host-key ${key.fingerprint}`,
      },
    )
  }
}

export class HostKeyChangedError extends EngineError {
  override name = 'HostKeyChangedError'
  constructor(
    readonly key: HostKeyInfo,
    readonly knownFingerprints: string[],
    knownHostsPath: string,
  ) {
    super(
      `The host key of ${knownHostsName(key.host, key.port)} has CHANGED. Refusing to connect.\n` +
        `  Known:    ${knownFingerprints.join(', ')}\n` +
        `  Offered:  ${key.keyType} ${key.fingerprint}`,
      {
        host: knownHostsName(key.host, key.port),
        hint: `someone may be intercepting the connection, or the server was reinstalled. Confirm with the server's administrator; if the change is expected, remove the old line from ${knownHostsPath} and connect again`,
      },
    )
  }
}

interface KnownHostLine {
  marker: '' | '@revoked' | '@cert-authority'
  hosts: string
  keyType: string
  keyBase64: string
}

function parseLine(line: string): KnownHostLine | null {
  const trimmed = line.trim()
  if (!trimmed || trimmed.startsWith('#')) return null
  const parts = trimmed.split(/\s+/)
  const marker = parts[0]?.startsWith('@') ? (parts.shift() as KnownHostLine['marker']) : ''
  const [hosts, keyType, keyBase64] = parts
  if (!hosts || !keyType || !keyBase64) return null
  return { marker, hosts, keyType, keyBase64 }
}

function wildcardToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  return new RegExp(`^${escaped}$`, 'i')
}

/** Does a known_hosts host field (comma list, wildcards, negations, hashed) name this host? */
export function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|')
    if (!salt || !hash) return false
    const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64')
    return digest === hash
  }
  let matched = false
  for (const pattern of field.split(',')) {
    if (pattern.startsWith('!')) {
      if (wildcardToRegExp(pattern.slice(1)).test(name)) return false
    } else if (wildcardToRegExp(pattern).test(name)) {
      matched = true
    }
  }
  return matched
}

/**
 * The known_hosts file, in OpenSSH's format, so the operator's own `ssh` can read what the app
 * trusted and the app can read what `ssh` trusted.
 */
export class KnownHosts {
  constructor(readonly path: string) {}

  private async lines(): Promise<KnownHostLine[]> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw error
    }
    return text.split('\n').flatMap((line) => parseLine(line) ?? [])
  }

  /** Keys stored for this host, as `keyType` + base64 blob. */
  async keysFor(
    host: string,
    port: number,
  ): Promise<{ keyType: string; blob: Buffer; revoked: boolean }[]> {
    const name = knownHostsName(host, port)
    return (await this.lines())
      .filter((line) => line.marker !== '@cert-authority' && hostFieldMatches(line.hosts, name))
      .map((line) => ({
        keyType: line.keyType,
        blob: Buffer.from(line.keyBase64, 'base64'),
        revoked: line.marker === '@revoked',
      }))
  }

  async add(host: string, port: number, keyBlob: Buffer, { hashed = false } = {}): Promise<void> {
    const name = knownHostsName(host, port)
    let field = name
    if (hashed) {
      const salt = randomBytes(20)
      field = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`
    }
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 })
    await appendFile(this.path, `${field} ${keyTypeOf(keyBlob)} ${keyBlob.toString('base64')}\n`, {
      mode: 0o600,
    })
  }
}

/** Host key algorithms to ask the server for, so a known key is not mistaken for a changed one. */
export function hostKeyAlgorithmsFor(keyTypes: string[]): string[] {
  return keyTypes.flatMap((type) =>
    type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type],
  )
}
