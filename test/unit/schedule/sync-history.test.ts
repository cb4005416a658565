import { describe, expect, it } from 'vitest'
import { parseSyncHistory, parseSyncRunLine } from '../../../src-main/engine/sync/sync-history'

describe('sync history lines', () => {
  it('reads each outcome', () => {
    const line = (exit: string, serial = '12', by = 'schedule') =>
      `start=2024-05-01T03:00:00Z end=2024-05-01T03:00:09Z exit=${exit} serial=${serial} by=${by}`
    expect(parseSyncRunLine(line('0'))).toEqual({
      startedAt: '2024-05-01T03:00:00Z',
      endedAt: '2024-05-01T03:00:09Z',
      outcome: 'ok',
      exitCode: 0,
      serial: 12,
      trigger: 'schedule',
    })
    expect(parseSyncRunLine(line('1'))).toMatchObject({ outcome: 'failed', exitCode: 1 })
    expect(parseSyncRunLine(line('busy'))).toMatchObject({ outcome: 'skipped', exitCode: null })
    expect(parseSyncRunLine(line('cancelled'))).toMatchObject({ outcome: 'cancelled' })
    expect(parseSyncRunLine(line('0', '-', 'app'))).toMatchObject({ serial: null, trigger: 'app' })
    expect(parseSyncRunLine(line('0', '3', 'cron'))).toMatchObject({ trigger: 'unknown' })
  })

  it('skips lines that are not runs', () => {
    const text = [
      '',
      'garbage',
      'start=yesterday end=today exit=0',
      'start=2024-05-01T03:00:00Z end=2024-05-01T03:00:09Z exit=0 serial=1 by=app',
      'start=2024-05-01T03:00:00Z exit=0',
    ].join('\n')
    expect(parseSyncHistory(text)).toHaveLength(1)
  })
})
