import { homedir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline/promises'
import { RemoteHost } from '../engine/ssh/remote-host'
import type { HostKeyInfo } from '../engine/ssh/host-keys'
import type { SshTarget } from '../engine/site'
import type { CliOptions } from './args'

/** The app's data directory on Linux, where the CLI finds the app's known_hosts and history. */
export function dataDirOf(options: Pick<CliOptions, 'dataDir'>): string {
  return (
    options.dataDir ??
    process.env.PIP_MIRROR_DATA_DIR ??
    join(homedir(), '.config', 'pip-mirror-wizard')
  )
}

export function knownHostsPathOf(options: Pick<CliOptions, 'dataDir' | 'knownHosts'>): string {
  return (
    options.knownHosts ??
    process.env.PIP_MIRROR_KNOWN_HOSTS ??
    join(dataDirOf(options), 'known_hosts')
  )
}

/** Asks a person at a terminal to confirm a fingerprint; never asks anything else. */
async function confirmOnTerminal(key: HostKeyInfo): Promise<boolean> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return false
  const prompt = createInterface({ input: process.stdin, output: process.stderr })
  try {
    process.stderr.write(
      `\nFirst contact with ${key.host}:${key.port}.\n  Host key: ${key.keyType} ${key.fingerprint}\n` +
        `Compare it with the server's own (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub).\n`,
    )
    const answer = await prompt.question('Trust this host key? Type "yes" to continue: ')
    return answer.trim().toLowerCase() === 'yes'
  } finally {
    prompt.close()
  }
}

/** Opens one connection per host, with secrets from the environment and trust from the flags. */
export function connectFromCli(options: CliOptions): (target: SshTarget) => Promise<RemoteHost> {
  const env = process.env
  return (target) =>
    RemoteHost.connect(target, {
      credentials: {
        ...(env.PIP_MIRROR_SSH_PASSWORD !== undefined
          ? { password: env.PIP_MIRROR_SSH_PASSWORD }
          : {}),
        ...(env.PIP_MIRROR_SUDO_PASSWORD !== undefined
          ? { sudoPassword: env.PIP_MIRROR_SUDO_PASSWORD }
          : {}),
        ...(env.PIP_MIRROR_KEY_PASSPHRASE !== undefined
          ? { passphrase: env.PIP_MIRROR_KEY_PASSPHRASE }
          : {}),
      },
      trust: {
        knownHostsPath: knownHostsPathOf(options),
        confirm: async (key) =>
          options.acceptHostKeys.includes(key.fingerprint) || (await confirmOnTerminal(key)),
      },
    })
}
