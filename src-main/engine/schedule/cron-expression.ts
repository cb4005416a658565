import { parseSchedule, type Schedule } from '#shared/schedule'

/** The five time fields of a crontab line (minute hour day-of-month month day-of-week). */
export function cronExpression(schedule: Schedule): string {
  switch (schedule.kind) {
    case 'every-minutes':
      return schedule.minutes === 1 ? '* * * * *' : `*/${schedule.minutes} * * * *`
    case 'every-hours':
      return `${schedule.minute} ${schedule.hours === 1 ? '*' : `*/${schedule.hours}`} * * *`
    case 'daily':
      return `${schedule.minute} ${schedule.hour} * * *`
  }
}

const NUMBER = /^\d{1,2}$/
const STEP = /^\*\/(\d{1,2})$/

/**
 * The schedule a cron expression stands for, when it is one that `cronExpression` writes; null
 * for anything else (an entry edited by hand is shown as it is, not guessed at).
 */
export function scheduleFromCron(expression: string): Schedule | null {
  const fields = expression.trim().split(/\s+/)
  if (fields.length !== 5) return null
  const [minute = '', hour = '', dom, month, dow] = fields
  if (dom !== '*' || month !== '*' || dow !== '*') return null
  try {
    if (hour === '*' && minute === '*') return parseSchedule({ kind: 'every-minutes', minutes: 1 })
    const minuteStep = STEP.exec(minute)
    if (hour === '*' && minuteStep)
      return parseSchedule({ kind: 'every-minutes', minutes: Number(minuteStep[1]) })
    if (!NUMBER.test(minute)) return null
    if (hour === '*')
      return parseSchedule({ kind: 'every-hours', hours: 1, minute: Number(minute) })
    const hourStep = STEP.exec(hour)
    if (hourStep)
      return parseSchedule({
        kind: 'every-hours',
        hours: Number(hourStep[1]),
        minute: Number(minute),
      })
    if (NUMBER.test(hour))
      return parseSchedule({ kind: 'daily', hour: Number(hour), minute: Number(minute) })
  } catch {
    return null
  }
  return null
}
