import { describeError, EngineError } from '../engine/errors'
import type { FleetEvent } from '../engine/fleet'
import type { HostFacts } from '../engine/remote/facts'
import { commandLine } from '../engine/remote/quote'
import type { RunEvent } from '../engine/run'
import type { TargetMatrix } from '../engine/verify/matrix-types'
import type { Change, Finding, StepPlan } from '../engine/steps/step'
import type {
  ChangeView,
  ErrorView,
  FleetEventViewInput,
  Finding as FindingView,
  HostFactsView,
  PlanView,
  RunEventViewInput,
  TargetMatrixView,
} from '../ipc-contract'

/**
 * Turns the engine's values into what the renderer is sent. Commands become the text the engine
 * quotes them to (the page never quotes argv itself). The assignments below are the compile-time
 * proof that the renderer-safe schemas in ipc-engine-schemas.ts still fit the engine's types.
 */

export function changeView(change: Change): ChangeView {
  if (change.kind === 'file') return change
  return {
    kind: 'command',
    summary: change.summary,
    command: commandLine(change.argv),
    sudo: change.sudo,
  }
}

export function planView(plan: StepPlan): PlanView {
  return { changes: plan.changes.map(changeView), notes: plan.notes }
}

export function runEventView(event: RunEvent): RunEventViewInput {
  if (event.type === 'plan') return { ...event, plan: planView(event.plan) }
  return event
}

export function fleetEventView(event: FleetEvent): FleetEventViewInput {
  if (event.type === 'fleet-host') return { ...event, event: runEventView(event.event) }
  return event
}

export function findingView(finding: Finding): FindingView {
  return finding
}

export function factsView(facts: HostFacts): HostFactsView {
  return facts
}

export function targetMatrixView(matrix: TargetMatrix): TargetMatrixView {
  return matrix
}

const HINT_MARKER = '\n  What to do: '

/** Splits the engine's described error ("what (on host)\n  What to do: hint") for the error panel. */
export function errorViewOfText(text: string): ErrorView {
  const at = text.indexOf(HINT_MARKER)
  if (at < 0) return { message: text }
  return { message: text.slice(0, at), hint: text.slice(at + HINT_MARKER.length) }
}

export function errorView(error: unknown): ErrorView {
  if (error instanceof EngineError) {
    const where = error.details.host ? ` (on ${error.details.host})` : ''
    return {
      message: `${error.message}${where}`,
      ...(error.details.hint ? { hint: error.details.hint } : {}),
    }
  }
  return errorViewOfText(describeError(error))
}
