import type { RemoteHost } from '../ssh/remote-host'
import type { Change } from '../steps/step'

export interface TimerState {
  enabled: boolean
  active: boolean
}

export async function timerState(host: RemoteHost, timerUnit: string): Promise<TimerState> {
  const [enabled, active] = await Promise.all([
    host.exec(['systemctl', 'is-enabled', timerUnit], { quiet: true }),
    host.exec(['systemctl', 'is-active', timerUnit], { quiet: true }),
  ])
  return {
    enabled: enabled.stdout.trim() === 'enabled',
    active: active.stdout.trim() === 'active',
  }
}

/** After unit files change: reload systemd, enable the timer, and restart it to take the new time. */
export function planTimerActivation(
  timerUnit: string,
  state: TimerState,
  unitsChanged: boolean,
): Change[] {
  const changes: Change[] = []
  if (unitsChanged)
    changes.push({
      kind: 'command',
      summary: 'Make systemd read the new unit files',
      argv: ['systemctl', 'daemon-reload'],
      sudo: true,
    })
  if (!state.enabled)
    changes.push({
      kind: 'command',
      summary: 'Enable the timer (it survives a reboot)',
      argv: ['systemctl', 'enable', timerUnit],
      sudo: true,
    })
  if (unitsChanged || !state.active)
    changes.push({
      kind: 'command',
      summary: 'Start the timer with its schedule',
      argv: ['systemctl', 'restart', timerUnit],
      sudo: true,
    })
  return changes
}
