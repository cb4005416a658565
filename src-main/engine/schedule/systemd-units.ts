import { onCalendar, scheduleFromOnCalendar } from './on-calendar'
import { describeSchedule, type Schedule } from '#shared/schedule'
import { plainCommandLine } from './scheduled-command'

export interface TimerUnitInput {
  schedule: Schedule
  directory: string
  serviceUnit: string
}

export interface ServiceUnitInput {
  directory: string
  user: string
  argv: readonly string[]
}

/** The service the timer starts: one sync, in the foreground, as the mirror's owner. */
export function renderServiceUnit(input: ServiceUnitInput): string {
  return [
    '# Written by Pip Mirror Wizard (the app or `pip-mirror schedule`).',
    '[Unit]',
    `Description=Pip Mirror Wizard: sync the pip mirror in ${input.directory}`,
    'Wants=network-online.target',
    'After=network-online.target',
    '',
    '[Service]',
    'Type=oneshot',
    `User=${input.user}`,
    `ExecStart=${plainCommandLine(input.argv)}`,
    '',
  ].join('\n')
}

/** `Persistent=true`: a run missed while the host was off happens when it is back. */
export function renderTimerUnit(input: TimerUnitInput): string {
  return [
    '# Written by Pip Mirror Wizard (the app or `pip-mirror schedule`).',
    '[Unit]',
    `Description=Pip Mirror Wizard: sync the pip mirror in ${input.directory}, ${describeSchedule(input.schedule)}`,
    '',
    '[Timer]',
    `OnCalendar=${onCalendar(input.schedule)}`,
    'Persistent=true',
    `Unit=${input.serviceUnit}`,
    '',
    '[Install]',
    'WantedBy=timers.target',
    '',
  ].join('\n')
}

/** The schedule of a timer unit the app wrote; null when its `OnCalendar=` is not one of ours. */
export function scheduleFromTimerUnit(text: string): Schedule | null {
  const line = text.split('\n').find((l) => l.trim().startsWith('OnCalendar='))
  return line ? scheduleFromOnCalendar(line.trim().slice('OnCalendar='.length)) : null
}

/** The `User=` of a service unit; null when absent. */
export function serviceUnitUser(text: string): string | null {
  const line = text.split('\n').find((l) => l.trim().startsWith('User='))
  return line ? line.trim().slice('User='.length) || null : null
}
