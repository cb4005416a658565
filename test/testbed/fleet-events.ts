import type { FleetEvent } from '../../src-main/engine/fleet'
import type { RunEvent } from '../../src-main/engine/run'
import type { Finding, StepPlan } from '../../src-main/engine/steps/step'

/** Collects a fleet run's events and answers the questions tests ask about them. */
export class FleetRecorder {
  readonly events: FleetEvent[] = []
  readonly emit = (event: FleetEvent): void => {
    this.events.push(event)
  }

  /** The run events of one host. */
  hostEvents(host: string): RunEvent[] {
    return this.events.flatMap((e) => (e.type === 'fleet-host' && e.host === host ? [e.event] : []))
  }

  /** Log lines of one host (optionally one step), commands included. */
  log(host: string, step?: string): string[] {
    return this.hostEvents(host).flatMap((e) =>
      e.type === 'log' && (!step || e.step === step) ? [e.line] : [],
    )
  }

  /** The findings one host's steps reported, with whatever else they carry (an action). */
  findings(host: string): (Finding & { action?: unknown })[] {
    return this.hostEvents(host).flatMap((e) => (e.type === 'finding' ? [e.finding] : []))
  }

  plan(host: string, step: string): StepPlan | undefined {
    return this.hostEvents(host).find(
      (e): e is Extract<RunEvent, { type: 'plan' }> => e.type === 'plan' && e.step === step,
    )?.plan
  }

  /** The status lines one host went through. */
  statusLines(host: string): string[] {
    return this.events.flatMap((e) =>
      e.type === 'fleet-host-status' && e.host === host ? [`${e.state}: ${e.line}`] : [],
    )
  }

  /** The most hosts that were connecting or running at the same moment. */
  maxConcurrent(): number {
    const active = new Set<string>()
    let max = 0
    for (const e of this.events) {
      if (e.type !== 'fleet-host-status') continue
      if (e.state === 'connecting' || e.state === 'running') active.add(e.host)
      else active.delete(e.host)
      max = Math.max(max, active.size)
    }
    return max
  }
}
