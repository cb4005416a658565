import { parseSchedule, type Schedule } from '#shared/schedule'

const twoDigits = (n: number): string => String(n).padStart(2, '0')

/** A systemd.time(7) calendar event for the timer's `OnCalendar=`. */
export function onCalendar(schedule: Schedule): string {
  switch (schedule.kind) {
    case 'every-minutes':
      return schedule.minutes === 1
        ? '*-*-* *:*:00'
        : `*-*-* *:00/${twoDigits(schedule.minutes)}:00`
    case 'every-hours':
      return schedule.hours === 1
        ? `*-*-* *:${twoDigits(schedule.minute)}:00`
        : `*-*-* 00/${twoDigits(schedule.hours)}:${twoDigits(schedule.minute)}:00`
    case 'daily':
      return `*-*-* ${twoDigits(schedule.hour)}:${twoDigits(schedule.minute)}:00`
  }
}

/** The schedule of an `OnCalendar=` value that `onCalendar` wrote; null for anything else. */
export function scheduleFromOnCalendar(value: string): Schedule | null {
  const match = /^\*-\*-\* (\S+):(\S+):00$/.exec(value.trim())
  if (!match) return null
  const [, hour = '', minute = ''] = match
  const fixed = (text: string): number | null => (/^\d\d$/.test(text) ? Number(text) : null)
  const step = (text: string): number | null => {
    const m = /^00\/(\d\d)$/.exec(text)
    return m ? Number(m[1]) : null
  }
  try {
    if (hour === '*' && minute === '*') return parseSchedule({ kind: 'every-minutes', minutes: 1 })
    if (hour === '*' && step(minute) !== null)
      return parseSchedule({ kind: 'every-minutes', minutes: step(minute) })
    if (hour === '*' && fixed(minute) !== null)
      return parseSchedule({ kind: 'every-hours', hours: 1, minute: fixed(minute) })
    if (step(hour) !== null && fixed(minute) !== null)
      return parseSchedule({ kind: 'every-hours', hours: step(hour), minute: fixed(minute) })
    if (fixed(hour) !== null && fixed(minute) !== null)
      return parseSchedule({ kind: 'daily', hour: fixed(hour), minute: fixed(minute) })
  } catch {
    return null
  }
  return null
}
