import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  cronExpression,
  HOUR_INTERVALS,
  MINUTE_INTERVALS,
  onCalendar,
  parseSchedule,
  scheduleFromCron,
  scheduleFromOnCalendar,
  type Schedule,
} from '../../../src-main/engine/schedule'

const every: Schedule[] = [
  ...MINUTE_INTERVALS.map((minutes) => parseSchedule({ kind: 'every-minutes', minutes })),
  ...HOUR_INTERVALS.flatMap((hours) =>
    [0, 7, 59].map((minute) => parseSchedule({ kind: 'every-hours', hours, minute })),
  ),
  ...[
    [0, 0],
    [3, 0],
    [23, 59],
    [12, 5],
  ].map(([hour, minute]) => parseSchedule({ kind: 'daily', hour, minute })),
]

describe('cron expressions', () => {
  it('writes the five time fields', () => {
    expect(cronExpression(parseSchedule({ kind: 'every-minutes', minutes: 1 }))).toBe('* * * * *')
    expect(cronExpression(parseSchedule({ kind: 'every-minutes', minutes: 15 }))).toBe(
      '*/15 * * * *',
    )
    expect(cronExpression(parseSchedule({ kind: 'every-hours', hours: 1, minute: 5 }))).toBe(
      '5 * * * *',
    )
    expect(cronExpression(parseSchedule({ kind: 'every-hours', hours: 6 }))).toBe('0 */6 * * *')
    expect(cronExpression(parseSchedule({ kind: 'daily', hour: 3, minute: 30 }))).toBe('30 3 * * *')
  })

  it('reads back every schedule it writes', () => {
    for (const schedule of every)
      expect(scheduleFromCron(cronExpression(schedule))).toEqual(schedule)
  })

  it('does not guess at expressions it did not write', () => {
    for (const foreign of [
      '0 3 * * 1',
      '0 3 1 * *',
      '*/7 * * * *',
      '0 */5 * * *',
      '0,30 * * * *',
      '@daily',
      '0 3 * *',
      '61 3 * * *',
      '0 24 * * *',
    ])
      expect(scheduleFromCron(foreign), foreign).toBeNull()
  })
})

describe('systemd OnCalendar values', () => {
  it('writes calendar events', () => {
    expect(onCalendar(parseSchedule({ kind: 'every-minutes', minutes: 1 }))).toBe('*-*-* *:*:00')
    expect(onCalendar(parseSchedule({ kind: 'every-minutes', minutes: 5 }))).toBe(
      '*-*-* *:00/05:00',
    )
    expect(onCalendar(parseSchedule({ kind: 'every-hours', hours: 1, minute: 5 }))).toBe(
      '*-*-* *:05:00',
    )
    expect(onCalendar(parseSchedule({ kind: 'every-hours', hours: 6 }))).toBe('*-*-* 00/06:00:00')
    expect(onCalendar(parseSchedule({ kind: 'daily', hour: 3, minute: 0 }))).toBe('*-*-* 03:00:00')
  })

  it('reads back every schedule it writes, and nothing else', () => {
    for (const schedule of every)
      expect(scheduleFromOnCalendar(onCalendar(schedule))).toEqual(schedule)
    for (const foreign of ['daily', 'Mon *-*-* 03:00:00', '*-*-* 00/05:00:00', '*-*-* 3:00'])
      expect(scheduleFromOnCalendar(foreign), foreign).toBeNull()
  })

  // systemd's own parser, where the machine has it (no running systemd is needed).
  it.runIf(existsSync('/usr/bin/systemd-analyze'))(
    'systemd-analyze accepts each value and fires it at the expected spacing',
    () => {
      const spacingMinutes = (schedule: Schedule): number =>
        schedule.kind === 'every-minutes'
          ? schedule.minutes
          : schedule.kind === 'every-hours'
            ? schedule.hours * 60
            : 24 * 60
      for (const schedule of every) {
        const out = execFileSync(
          'systemd-analyze',
          ['calendar', '--iterations=3', onCalendar(schedule)],
          { encoding: 'utf8', env: { ...process.env, TZ: 'UTC', SYSTEMD_COLORS: '0' } },
        )
        const times = [...out.matchAll(/(?:Next elapse|Iter\. #\d+): \w+ (\S+ \S+)/g)].map((m) =>
          new Date(`${(m[1] as string).replace(' ', 'T')}Z`).getTime(),
        )
        expect(times, out).toHaveLength(3)
        const gap = ((times[1] as number) - (times[0] as number)) / 60_000
        expect(gap, onCalendar(schedule)).toBe(spacingMinutes(schedule))
        const first = new Date(times[0] as number)
        if (schedule.kind !== 'every-minutes')
          expect(first.getUTCMinutes(), onCalendar(schedule)).toBe(schedule.minute)
        if (schedule.kind === 'daily') expect(first.getUTCHours()).toBe(schedule.hour)
      }
    },
  )
})
