import type { HostFacts } from '../remote/facts'
import type { ScheduleMechanism } from './scheduled-command'

/** A systemd timer where systemd runs the host, else a cron entry. */
export function scheduleMechanism(facts: Pick<HostFacts, 'init'>): ScheduleMechanism {
  return facts.init === 'systemd' ? 'systemd-timer' : 'cron'
}
