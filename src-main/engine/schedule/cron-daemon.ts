import { defineProbe } from '../plan/probe'
import cronProbeScript from './scripts/cron-probe.sh?raw'
import { EngineError } from '../errors'
import type { HostFacts } from '../remote/facts'
import type { RemoteHost } from '../ssh/remote-host'
import { command, type CommandChange } from '../plan/change'
import { scriptCommand } from '../remote/quote'
import startIfStopped from './scripts/start-cron-if-stopped.sh?raw'

export interface CronDaemon {
  /** The daemon's path; null when no cron is installed. */
  path: string | null
  running: boolean
}

/**
 * Finds the cron daemon (Debian's `cron`, RHEL's `crond`) by absolute path too: a user's PATH
 * over SSH often lacks the sbin directories. Running: a process of that name that is not a
 * zombie (in a container whose first process reaps nothing, a stopped cron stays one).
 */
export const cronProbe = defineProbe({ name: 'cron-daemon', script: cronProbeScript })

export function parseCronProbe(text: string): CronDaemon {
  const path = /^path=(.*)$/m.exec(text)?.[1]?.trim() ?? ''
  return { path: path || null, running: /^running=yes$/m.test(text) }
}

export async function probeCronDaemon(host: RemoteHost): Promise<CronDaemon> {
  const result = await host.readScript(cronProbe.script, [], { quiet: true })
  return parseCronProbe(result.stdout)
}

/** The package and daemon name per package manager. */
function cronPackage(facts: Pick<HostFacts, 'packageManager'>): {
  install: string[]
  daemon: string
} | null {
  switch (facts.packageManager) {
    case 'apt-get':
      // Without --no-install-recommends apt also brings a mail server (exim4) along.
      return {
        install: [
          'env',
          'DEBIAN_FRONTEND=noninteractive',
          'apt-get',
          'install',
          '-y',
          '--no-install-recommends',
          'cron',
        ],
        daemon: 'cron',
      }
    case 'dnf':
    case 'yum':
      return { install: [facts.packageManager, 'install', '-y', 'cronie'], daemon: 'crond' }
    default:
      return null
  }
}

const APT_UPDATE = ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'update', '-q']

/** How the daemon starts: through systemd where it runs, else the daemon itself (it forks). */
export function startCronArgv(
  facts: Pick<HostFacts, 'init'>,
  daemonPath: string,
): { argv: string[]; summary: string } {
  const name = daemonPath.split('/').pop() ?? 'cron'
  return facts.init === 'systemd'
    ? { argv: ['systemctl', 'enable', '--now', name], summary: `Start ${name} and enable it` }
    : { argv: [daemonPath], summary: `Start the ${name} daemon (no systemd on this host)` }
}

export interface CronDaemonPlan {
  /** Refreshing apt's lists first where apt installs it. */
  install: CommandChange[]
  start: CommandChange | null
}

/** What it takes to have a running cron: install it, start it, or nothing. */
export function planCronDaemon(
  facts: Pick<HostFacts, 'packageManager' | 'init'>,
  daemon: CronDaemon,
  host: string,
): CronDaemonPlan {
  if (daemon.path) {
    if (daemon.running) return { install: [], start: null }
    const start = startCronArgv(facts, daemon.path)
    return { install: [], start: command(start.summary, start.argv) }
  }
  const pkg = cronPackage(facts)
  if (!pkg)
    throw new EngineError(
      'cron is not installed and this host has no package manager the app knows',
      {
        host,
        hint: 'install a cron daemon that reads /etc/cron.d (cron or cronie), start it, and schedule again',
      },
    )
  const daemonPath = `/usr/sbin/${pkg.daemon}`
  const start = startCronArgv(facts, daemonPath)
  return {
    install: [
      ...(facts.packageManager === 'apt-get'
        ? [command("Refresh apt's package lists", APT_UPDATE)]
        : []),
      command(`Install ${pkg.daemon}`, pkg.install),
    ],
    // Installing may start it already (sysvinit): then the start leaves it be.
    start:
      facts.init === 'systemd'
        ? command(start.summary, start.argv)
        : command(
            `Start the ${pkg.daemon} daemon unless the install started it`,
            scriptCommand(startIfStopped, [daemonPath]),
          ),
  }
}
