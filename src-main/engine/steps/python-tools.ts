import type { HostFacts } from '../remote/facts'
import type { MirrorSite } from '#shared/site'
import { command, type CommandChange } from '../plan/change'

const APT = ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get']

/** apt's package lists, refreshed before anything is installed with it (a fresh host has none). */
export const APT_UPDATE = command("Refresh apt's package lists", [...APT, 'update', '-q'])

/** `apt-get install -y` of the packages, the lists refreshed first. */
export function aptInstall(summary: string, packages: readonly string[]): CommandChange[] {
  return [APT_UPDATE, command(summary, [...APT, 'install', '-y', ...packages])]
}

/** pip's options for hosts that reach PyPI only through an internal index or a proxy. */
export function pipIndexArgs(mirror: MirrorSite): string[] {
  return [
    ...(mirror.pipIndexUrl ? ['--index-url', mirror.pipIndexUrl] : []),
    ...(mirror.proxy ? ['--proxy', mirror.proxy] : []),
  ]
}

/** Debian's python3 cannot make a venv without python3-venv: the changes that install it, if needed. */
export function venvModuleChanges(facts: HostFacts): CommandChange[] {
  if (facts.python?.hasVenv) return []
  return aptInstall('Install Python and its venv module', ['python3', 'python3-venv'])
}
