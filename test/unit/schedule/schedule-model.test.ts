import { describe, expect, it } from 'vitest'
import {
  describeSchedule,
  parseDaily,
  parseEvery,
  parseSchedule,
  sameSchedule,
  ScheduleError,
} from '../../../src-main/engine/schedule'

describe('schedule model', () => {
  it('reads the CLI forms', () => {
    expect(parseEvery('6h')).toEqual({ kind: 'every-hours', hours: 6, minute: 0 })
    expect(parseEvery('30m')).toEqual({ kind: 'every-minutes', minutes: 30 })
    expect(parseEvery(' 1 H ')).toEqual({ kind: 'every-hours', hours: 1, minute: 0 })
    expect(parseEvery('15min')).toEqual({ kind: 'every-minutes', minutes: 15 })
    expect(parseDaily('03:00')).toEqual({ kind: 'daily', hour: 3, minute: 0 })
    expect(parseDaily('23:59')).toEqual({ kind: 'daily', hour: 23, minute: 59 })
  })

  it('refuses intervals that cron and systemd cannot space evenly, and impossible times', () => {
    for (const bad of ['5h', '7m', '24h', '0m', '0h', '90m', 'h', '6', '6d', '-1h', '6 hours'])
      expect(() => parseEvery(bad), bad).toThrow(ScheduleError)
    for (const bad of ['24:00', '12:60', '3:5', '0300', 'noon', '12:00:00', ''])
      expect(() => parseDaily(bad), bad).toThrow(ScheduleError)
    expect(() => parseEvery('5h')).toThrow(/must divide the day: one of 1, 2, 3, 4, 6, 8, 12/)
    expect(() => parseSchedule({ kind: 'every-hours', hours: 6, minute: 61 })).toThrow(/^minute: /)
    expect(() => parseSchedule({ kind: 'weekly' })).toThrow(ScheduleError)
    expect(() => parseSchedule({ kind: 'daily', hour: 1.5, minute: 0 })).toThrow(/^hour: /)
  })

  it('fills the minute of an hourly schedule with 0', () => {
    expect(parseSchedule({ kind: 'every-hours', hours: 4 })).toEqual({
      kind: 'every-hours',
      hours: 4,
      minute: 0,
    })
  })

  it('says what it means for people', () => {
    expect(describeSchedule(parseEvery('1m'))).toBe('every minute')
    expect(describeSchedule(parseEvery('20m'))).toBe('every 20 minutes')
    expect(describeSchedule(parseEvery('1h'))).toBe('every hour at minute 00')
    expect(describeSchedule({ kind: 'every-hours', hours: 6, minute: 5 })).toBe(
      'every 6 hours at minute 05',
    )
    expect(describeSchedule(parseDaily('3:07'))).toBe('daily at 03:07')
  })

  it('compares schedules after defaults are filled in', () => {
    expect(sameSchedule(parseEvery('6h'), { kind: 'every-hours', hours: 6, minute: 0 })).toBe(true)
    expect(sameSchedule(parseEvery('6h'), parseEvery('3h'))).toBe(false)
  })
})
