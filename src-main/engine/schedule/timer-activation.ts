import { command, type Change } from '../plan/change'
import { defineProbe } from '../plan/probe'
import type { HostState } from '../plan/host-state'
import { probeRead } from '../plan/state-request'
import type { RemoteHost } from '../ssh/remote-host'
import timerStateScript from './scripts/timer-state.sh?raw'

export interface TimerState {
  enabled: boolean
  active: boolean
}

const timerStateProbe = defineProbe({ name: 'timer-state', script: timerStateScript })

export const timerStateRead = (timerUnit: string) => probeRead(timerStateProbe, timerUnit)

function parseTimerState(output: string): TimerState {
  const [enabled, active] = output.split('\n').map((line) => line.trim())
  return { enabled: enabled === 'enabled', active: active === 'active' }
}

export function plannedTimerState(state: HostState, timerUnit: string): TimerState {
  return parseTimerState(state.probe(timerStateRead(timerUnit)).output)
}

export async function timerState(host: RemoteHost, timerUnit: string): Promise<TimerState> {
  const result = await host.readScript(timerStateScript, [timerUnit], { quiet: true })
  return parseTimerState(result.stdout)
}

/** After unit files change: reload systemd, enable the timer, and restart it to take the new time. */
export function planTimerActivation(
  timerUnit: string,
  state: TimerState,
  unitsChanged: boolean,
): Change[] {
  const changes: Change[] = []
  if (unitsChanged)
    changes.push(command('Make systemd read the new unit files', ['systemctl', 'daemon-reload']))
  if (!state.enabled)
    changes.push(
      command('Enable the timer (it survives a reboot)', ['systemctl', 'enable', timerUnit]),
    )
  if (unitsChanged || !state.active)
    changes.push(command('Start the timer with its schedule', ['systemctl', 'restart', timerUnit]))
  return changes
}
