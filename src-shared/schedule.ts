import { z } from 'zod'

/**
 * When the mirror host syncs on its own. Intervals must divide the hour or the day evenly, so
 * that cron and systemd run the sync at the same, evenly spaced times (cron's step values restart
 * at each hour or day). Times are the host's local time.
 */
export const MINUTE_INTERVALS = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30] as const
export const HOUR_INTERVALS = [1, 2, 3, 4, 6, 8, 12] as const

const minuteOfHour = z.number().int().min(0).max(59)

export const scheduleSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('every-minutes'),
    minutes: z
      .number()
      .int()
      .refine(
        (n) => (MINUTE_INTERVALS as readonly number[]).includes(n),
        `must divide the hour: one of ${MINUTE_INTERVALS.join(', ')}`,
      ),
  }),
  z.object({
    kind: z.literal('every-hours'),
    hours: z
      .number()
      .int()
      .refine(
        (n) => (HOUR_INTERVALS as readonly number[]).includes(n),
        `must divide the day: one of ${HOUR_INTERVALS.join(', ')} (once a day is "daily")`,
      ),
    /** Minutes past the hour. */
    minute: minuteOfHour.default(0),
  }),
  z.object({
    kind: z.literal('daily'),
    hour: z.number().int().min(0).max(23),
    minute: minuteOfHour,
  }),
])

export type Schedule = z.infer<typeof scheduleSchema>
export type ScheduleInput = z.input<typeof scheduleSchema>

export class ScheduleError extends Error {
  override name = 'ScheduleError'
}

/** Validates a schedule from any face; the message names the field. */
export function parseSchedule(input: unknown): Schedule {
  const result = scheduleSchema.safeParse(input)
  if (result.success) return result.data
  throw new ScheduleError(
    result.error.issues
      .map((issue) => `${issue.path.map(String).join('.') || 'schedule'}: ${issue.message}`)
      .join('\n'),
  )
}

/** `--every 6h`, `--every 30m`. */
export function parseEvery(text: string): Schedule {
  const match = /^\s*(\d{1,3})\s*(m|min|h)\s*$/i.exec(text)
  if (!match)
    throw new ScheduleError(`"${text}" is not an interval such as "6h" (hours) or "30m" (minutes)`)
  const count = Number(match[1])
  return (match[2] as string).toLowerCase() === 'h'
    ? parseSchedule({ kind: 'every-hours', hours: count, minute: 0 })
    : parseSchedule({ kind: 'every-minutes', minutes: count })
}

/** `--daily 03:00` (24-hour clock, the host's local time). */
export function parseDaily(text: string): Schedule {
  const match = /^\s*(\d{1,2}):(\d{2})\s*$/.exec(text)
  if (!match) throw new ScheduleError(`"${text}" is not a time such as "03:00"`)
  return parseSchedule({ kind: 'daily', hour: Number(match[1]), minute: Number(match[2]) })
}

const twoDigits = (n: number): string => String(n).padStart(2, '0')

/** "every 6 hours, at minute 00", "daily at 03:00", for people. */
export function describeSchedule(schedule: Schedule): string {
  switch (schedule.kind) {
    case 'every-minutes':
      return schedule.minutes === 1 ? 'every minute' : `every ${schedule.minutes} minutes`
    case 'every-hours':
      return `${schedule.hours === 1 ? 'every hour' : `every ${schedule.hours} hours`} at minute ${twoDigits(schedule.minute)}`
    case 'daily':
      return `daily at ${twoDigits(schedule.hour)}:${twoDigits(schedule.minute)}`
  }
}

export function sameSchedule(a: Schedule, b: Schedule): boolean {
  return JSON.stringify(a) === JSON.stringify(parseSchedule(b))
}
