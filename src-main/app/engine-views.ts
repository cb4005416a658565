import { errorValue, type ErrorValue } from '../engine/errors'
import type { FleetEvent, FleetHostResult } from '../engine/fleet'
import type { HostFacts } from '../engine/remote/facts'
import { printableDeep } from '../engine/printable'
import { commandLine } from '../engine/remote/quote'
import type { RunEvent } from '../engine/run'
import type { TargetMatrix } from '../engine/verify/matrix-types'
import type { Change, Finding, StepPlan } from '../engine/steps/step'
import type {
  ChangeView,
  ErrorView,
  FleetEventViewInput,
  FleetHostResultView,
  Finding as FindingView,
  HostFactsView,
  PlanView,
  RunEventViewInput,
  TargetMatrixView,
} from '#shared/ipc/contract'

/**
 * Turns the engine's values into what the renderer is sent. Commands become the text the engine
 * quotes them to (the page never quotes argv itself). Text that came from hosts (log lines, file
 * contents and names, messages) is sent printable only: no control characters, escape sequences or
 * bidi controls. The assignments below are the compile-time proof that the renderer-safe schemas
 * in src-shared/ipc/engine-schemas.ts still fit the engine's types.
 */

export function changeView(change: Change): ChangeView {
  if (change.kind === 'wait') return printableDeep({ kind: 'wait', summary: change.summary })
  if (change.kind === 'derive')
    return printableDeep({
      kind: 'derive',
      summary: change.summary,
      routine: change.routine,
      reads: change.reads,
      writes: change.writes,
    })
  if (change.kind === 'file')
    return printableDeep({
      kind: 'file',
      summary: change.summary,
      path: change.path,
      diff: change.diff,
    })
  return printableDeep({
    kind: 'command',
    summary: change.summary,
    command: commandLine(change.argv),
    sudo: change.sudo,
  })
}

export function planView(plan: Pick<StepPlan, 'changes' | 'notes'>): PlanView {
  return { changes: plan.changes.map(changeView), notes: printableDeep(plan.notes) }
}

export function runEventView(event: RunEvent): RunEventViewInput {
  if (event.type === 'plan') return { ...event, plan: planView(event.plan) }
  return printableDeep(event)
}

export function fleetEventView(event: FleetEvent): FleetEventViewInput {
  if (event.type === 'fleet-host') return { ...event, event: runEventView(event.event) }
  if (event.type === 'fleet-done')
    return {
      ...event,
      summary: { ...event.summary, hosts: event.summary.hosts.map(fleetHostView) },
    }
  return printableDeep(event)
}

/** One worker's result, its failure (if any) as the page shows errors; its run stays in main. */
export function fleetHostView({
  summary: _run,
  failure,
  ...host
}: FleetHostResult): FleetHostResultView {
  return printableDeep({ ...host, ...(failure ? { failure: errorViewOf(failure) } : {}) })
}

export function findingView(finding: Finding): FindingView {
  return printableDeep(finding)
}

export function factsView(facts: HostFacts): HostFactsView {
  return printableDeep(facts)
}

export function targetMatrixView(matrix: TargetMatrix): TargetMatrixView {
  return printableDeep(matrix)
}

/** An engine error value as the page shows it: where it happened is part of the message. */
export function errorViewOf(value: ErrorValue): ErrorView {
  return printableDeep({
    message: `${value.message}${value.host ? ` (on ${value.host})` : ''}`,
    ...(value.hint ? { hint: value.hint } : {}),
    ...(value.code ? { code: value.code } : {}),
  })
}

/** Any error as the page shows it: the engine's value (what, where, what to do), never text parsed back. */
export function errorView(error: unknown): ErrorView {
  return errorViewOf(errorValue(error))
}
