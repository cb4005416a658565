import { describe, expect, it } from 'vitest'
import { EngineError } from '../../../src-main/engine/errors'
import {
  fleetSummaryLines,
  runFleet,
  type FleetEvent,
  type FleetJob,
} from '../../../src-main/engine/fleet'
import { parseSite } from '#shared/site'
import type { RemoteHost } from '../../../src-main/engine/ssh/remote-host'
import type { Step } from '../../../src-main/engine/steps/step'

const site = parseSite({
  mirror: {
    ssh: { host: '10.0.0.5', user: 'root' },
    requirements: ['alpha'],
    serve: { listen: '10.0.0.5:8080' },
  },
})

/**
 * Enough of a connection for the runner: the state read answers with a bare facts line and every
 * planned change (`true`) succeeds. The fleet's scheduling is what is tested here.
 */
function fakeHost(label: string, closed: string[]): RemoteHost {
  const ok = async () => ({ code: 0, signal: null, stdout: 'uid=0\nuser=root\n', stderr: '' })
  return {
    label,
    target: { host: label, port: 22, user: 'root' },
    onEvent: () => () => undefined,
    setGuard: () => null,
    checkChange: () => undefined,
    read: ok,
    exec: ok,
    identity: async () => ({ uid: 0, privilege: 'root' }),
    knowIdentity: () => undefined,
    getPrivilege: async () => 'root',
    close: () => closed.push(label),
  } as unknown as RemoteHost
}

function step(id: string, behaviour: { changes?: number; fails?: string; ms?: number }): Step {
  return {
    id,
    title: `Step ${id}`,
    async plan() {
      await new Promise((resolve) => setTimeout(resolve, behaviour.ms ?? 5))
      if (behaviour.fails) throw new EngineError(behaviour.fails, { hint: 'do the thing' })
      return {
        changes: Array.from({ length: behaviour.changes ?? 0 }, (_, i) => ({
          kind: 'command' as const,
          summary: `change ${i}`,
          argv: ['true'],
          sudo: false,
        })),
        notes: [],
      }
    },
  }
}

function job(label: string, steps: Step[]): FleetJob {
  return { label, target: { host: label, port: 22, user: 'root' }, site, steps }
}

describe('the fleet runner', () => {
  it('runs hosts a bounded number at once; one failure stops only its own host', async () => {
    const events: FleetEvent[] = []
    const closed: string[] = []
    const jobs = [
      job('a', [step('one', { changes: 1, ms: 30 }), step('two', { changes: 1 })]),
      job('b', [step('one', { fails: 'b is broken' }), step('two', { changes: 1 })]),
      job('c', [step('one', {}), step('two', {})]),
      job('d', [step('one', { changes: 2, ms: 20 })]),
      job('unreachable', [step('one', {})]),
    ]
    const summary = await runFleet(
      jobs,
      async (target) => {
        if (target.host === 'unreachable') throw new EngineError('connection refused')
        return fakeHost(target.host, closed)
      },
      { mode: 'apply', concurrency: 2 },
      (event) => events.push(event),
    )

    let active = 0
    let most = 0
    for (const event of events) {
      if (event.type !== 'fleet-host-status') continue
      if (event.state === 'connecting') active++
      if (['ok', 'changed', 'failed', 'cancelled'].includes(event.state)) active--
      most = Math.max(most, active)
    }
    expect(most).toBe(2)

    expect(summary.counts).toEqual({ ok: 1, changed: 2, planned: 0, failed: 2, cancelled: 0 })
    expect(summary.status).toBe('failed')
    expect(summary.hosts.map((h) => [h.host, h.state, h.changes])).toEqual([
      ['a', 'changed', 2],
      ['b', 'failed', 0],
      ['c', 'ok', 0],
      ['d', 'changed', 2],
      ['unreachable', 'failed', 0],
    ])
    expect(summary.hosts[1]?.line).toBe('FAILED at "Step one": b is broken')
    expect(summary.hosts[4]?.line).toBe('FAILED at "Connect": connection refused')
    expect(closed.sort()).toEqual(['a', 'b', 'c', 'd'])

    const statusOfA = events.flatMap((e) =>
      e.type === 'fleet-host-status' && e.host === 'a' ? [e.line] : [],
    )
    expect(statusOfA).toEqual([
      'waiting',
      'connecting to root@a:22',
      'step 1/2: Step one',
      'step 2/2: Step two',
      'done: 2 changes',
    ])
    expect(events.at(-1)?.type).toBe('fleet-done')
    expect(fleetSummaryLines(summary)).toEqual([
      'a            done: 2 changes',
      'b            FAILED at "Step one": b is broken',
      'c            done: nothing to change',
      'd            done: 2 changes',
      'unreachable  FAILED at "Connect": connection refused',
      '5 hosts: 2 changed, 1 unchanged, 2 failed',
    ])
  })

  it('cancels hosts that have not started when the signal fires', async () => {
    const controller = new AbortController()
    controller.abort()
    const summary = await runFleet(
      [job('a', [step('one', {})])],
      async () => fakeHost('a', []),
      { mode: 'plan', signal: controller.signal },
      () => undefined,
    )
    expect(summary.status).toBe('cancelled')
    expect(summary.hosts[0]?.line).toBe('cancelled')
  })
})
