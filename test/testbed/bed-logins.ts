import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Connect } from '../../src-main/engine/fleet'
import { RemoteHost } from '../../src-main/engine/ssh/remote-host'
import type { SshTarget } from '#shared/site'
import type { MirrorHostBed } from './mirror-host'
import { SUDOER } from './users'

/** The bed's site file, rewritten to log in as SUDOER with a password (sudo asks for it too). */
export async function sudoerSiteFile(
  bed: MirrorHostBed,
  created: { path: string; port: number },
): Promise<string> {
  const input = JSON.parse(await readFile(created.path, 'utf8')) as {
    mirror: { ssh: Record<string, unknown> }
  }
  input.mirror.ssh = {
    host: bed.sshd.host,
    port: bed.sshd.port,
    user: SUDOER.name,
    auth: 'password',
  }
  const path = join(bed.work, `sudoer-site-${created.port}.json`)
  await writeFile(path, JSON.stringify(input, null, 2))
  return path
}

/** The CLI's secrets for SUDOER, as an operator would export them. */
export const SUDOER_ENV = {
  PIP_MIRROR_SSH_PASSWORD: SUDOER.password,
  PIP_MIRROR_SUDO_PASSWORD: SUDOER.password,
}

/** A connection as SUDOER, trusting the bed's host key as a confirmed fingerprint. */
export function connectAsSudoer(bed: MirrorHostBed): Promise<RemoteHost> {
  const target: SshTarget = {
    host: bed.sshd.host,
    port: bed.sshd.port,
    user: SUDOER.name,
    auth: 'password',
  }
  return RemoteHost.connect(target, {
    credentials: { password: SUDOER.password, sudoPassword: SUDOER.password },
    trust: { knownHostsPath: bed.knownHosts, acceptFingerprint: bed.sshd.hostKeyFingerprint },
  })
}

/** A connection as root with the bed's key. */
export function connectAsRoot(bed: MirrorHostBed): Promise<RemoteHost> {
  return RemoteHost.connect(
    { host: bed.sshd.host, port: bed.sshd.port, user: 'root', identityFile: bed.key.path },
    {
      credentials: {},
      trust: { knownHostsPath: bed.knownHosts, acceptFingerprint: bed.sshd.hostKeyFingerprint },
    },
  )
}

/** The health check's `connect`: any target on the bed's sshd, with the bed's key. */
export function bedConnect(bed: MirrorHostBed): Connect {
  return (target) =>
    RemoteHost.connect(
      { ...target, identityFile: bed.key.path },
      {
        credentials: {},
        trust: { knownHostsPath: bed.knownHosts, acceptFingerprint: bed.sshd.hostKeyFingerprint },
        readyTimeoutMs: 5000,
      },
    )
}
