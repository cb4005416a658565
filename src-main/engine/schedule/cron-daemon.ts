import { EngineError } from '../errors'
import type { HostFacts } from '../remote/facts'
import type { RemoteHost } from '../ssh/remote-host'
import type { Change } from '../steps/step'

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
const CRON_PROBE = `
bin=
for p in "$(command -v cron 2>/dev/null)" "$(command -v crond 2>/dev/null)" /usr/sbin/cron /usr/sbin/crond /sbin/crond; do
  if [ -n "$p" ] && [ -x "$p" ]; then bin=$p; break; fi
done
echo "path=$bin"
running=no
for d in /proc/[0-9]*; do
  case "$(cat "$d/comm" 2>/dev/null)" in
    cron|crond) grep -q '^State:[[:space:]]*Z' "$d/status" 2>/dev/null || { running=yes; break; } ;;
  esac
done
echo "running=$running"
`

export function parseCronProbe(text: string): CronDaemon {
  const path = /^path=(.*)$/m.exec(text)?.[1]?.trim() ?? ''
  return { path: path || null, running: /^running=yes$/m.test(text) }
}

export async function probeCronDaemon(host: RemoteHost): Promise<CronDaemon> {
  const result = await host.script(CRON_PROBE, [], { quiet: true })
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

export const APT_UPDATE = ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'update', '-q']

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
  install: (Change & { kind: 'command' }) | null
  start: (Change & { kind: 'command' }) | null
}

/** What it takes to have a running cron: install it, start it, or nothing. */
export function planCronDaemon(
  facts: Pick<HostFacts, 'packageManager' | 'init'>,
  daemon: CronDaemon,
  host: string,
): CronDaemonPlan {
  if (daemon.path) {
    if (daemon.running) return { install: null, start: null }
    const start = startCronArgv(facts, daemon.path)
    return {
      install: null,
      start: { kind: 'command', summary: start.summary, argv: start.argv, sudo: true },
    }
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
  const start = startCronArgv(facts, `/usr/sbin/${pkg.daemon}`)
  return {
    install: { kind: 'command', summary: `Install ${pkg.daemon}`, argv: pkg.install, sudo: true },
    start: { kind: 'command', summary: start.summary, argv: start.argv, sudo: true },
  }
}
