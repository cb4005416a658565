import { homedir } from 'node:os'
import { join } from 'node:path'
import { RemoteHost } from '../engine/ssh/remote-host'
import type { HostKeyInfo } from '../engine/ssh/host-keys'
import type { SshTarget } from '#shared/site'
import type { CliOptions } from './args'
import { inTerminalTurn, readAnswer } from './terminal-question'

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

/** Host keys confirmed at the terminal during this run, as `host:port fingerprint`. */
const confirmedKeys = new Set<string>()

/**
 * Asks a person at a terminal to confirm one host's fingerprint; never asks anything else. Hosts
 * that connect at once wait their turn and each prompt names its host and fingerprint, so one
 * "yes" trusts exactly one host key (a second connection to the host just confirmed is not asked).
 */
function confirmOnTerminal(key: HostKeyInfo): Promise<boolean> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return Promise.resolve(false)
  const name = `${key.host}:${key.port} ${key.fingerprint}`
  return inTerminalTurn(async () => {
    if (confirmedKeys.has(name)) return true
    const answer = await readAnswer(
      `\nFirst contact with ${key.host}:${key.port}.\n  Host key: ${key.keyType} ${key.fingerprint}\n` +
        `Compare it with the server's own (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub).\n`,
      `Trust the key ${key.fingerprint} of ${key.host}:${key.port}? Type "yes" to continue: `,
    )
    const trusted = answer.trim().toLowerCase() === 'yes'
    if (trusted) confirmedKeys.add(name)
    return trusted
  })
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
