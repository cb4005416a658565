import { randomUUID } from 'node:crypto'
import { describeError, describeErrorValue, EngineError, errorValue } from '../errors'
import { probeFacts, type HostFacts } from '../remote/facts'
import type { RunEvent, RunSummary, StepOutcome } from '../run'
import type { Site } from '#shared/site'
import type { RemoteHost } from '../ssh/remote-host'
import type { Step } from '../steps/step'
import { executeChange } from './execute-change'
import { FailedProof } from './failed-proof'
import { fingerprintChanges, fingerprintOf } from './fingerprint'
import { ApprovedChangeGuard } from './guards'
import { forwardHostEvents } from './host-events'
import { readHostState } from './host-state'
import type { HostPlan } from './host-plan'
import { loadRequest } from './state-request'

export class StalePlanError extends EngineError {
  override name = 'StalePlanError'
  constructor(
    host: string,
    readonly changes: string[],
  ) {
    super(
      `The host changed since the plan was made; nothing was applied:\n${changes.map((c) => `  - ${c}`).join('\n')}`,
      { host, code: 'stale-plan', hint: 'plan again, read the new plan, and apply that one' },
    )
  }
}

/**
 * Reads again, in one batch, the state the plan was computed from; throws a StalePlanError
 * naming every difference.
 */
export async function checkPlanState(host: RemoteHost, plan: HostPlan): Promise<void> {
  if (plan.host !== host.label)
    throw new EngineError(`This plan is for ${plan.host}, not ${host.label}`, {
      host: host.label,
      code: 'wrong-host',
      hint: 'apply the plan to the host it was made for',
    })
  const state = await readHostState(
    host,
    plan.state.requests.map(loadRequest),
    plan.state.mirrorDirectory,
  )
  const changes = fingerprintChanges(plan.state.fingerprint, fingerprintOf(state))
  if (changes.length > 0) throw new StalePlanError(host.label, changes)
}

export interface ApplyOptions {
  signal?: AbortSignal
  runId?: string
  /** The caller already checked the plan's state (several hosts, all checked first). */
  stateChecked?: boolean
  /** The caller already sent run-started (it planned in the same run). */
  announced?: boolean
}

/**
 * Executes a plan exactly: every planned change in order and nothing else (the host refuses any
 * other change while it runs), each step verified after its changes by reading only. A failure
 * ends the run there: later steps are `not run`; a cancel leaves them `cancelled`.
 */
export async function applyHostPlan(
  plan: HostPlan,
  steps: readonly Step[],
  host: RemoteHost,
  site: Site,
  options: ApplyOptions,
  emit: (event: RunEvent) => void,
): Promise<RunSummary> {
  const runId = options.runId ?? randomUUID()
  const signal = options.signal ?? new AbortController().signal
  const outcome = new Map<string, StepOutcome>(plan.steps.map((step) => [step.id, 'skipped']))
  for (const id of plan.selected) outcome.set(id, 'not run')
  const summary: RunSummary = { runId, status: 'ok', steps: [], plan, proofs: {} }
  const finish = (): RunSummary => {
    summary.steps = plan.steps.map((step) => ({
      id: step.id,
      status: outcome.get(step.id) ?? 'skipped',
      changes: plan.planned.find((p) => p.id === step.id)?.changes.length ?? 0,
    }))
    emit({
      type: 'run-done',
      runId,
      status: summary.status,
      ...(summary.failedStep ? { failedStep: summary.failedStep } : {}),
    })
    return summary
  }
  const fail = (step: string, error: unknown): void => {
    summary.status = signal.aborted ? 'cancelled' : 'failed'
    summary.failedStep = step
    summary.error = describeError(error)
    summary.failure = errorValue(error)
  }

  if (!options.announced)
    emit({ type: 'run-started', runId, mode: 'apply', host: host.label, steps: plan.steps })
  if (plan.error) {
    const { step, message, ...where } = plan.error
    fail(step, new EngineError(message, { ...where, host: where.host ?? plan.host }))
    outcome.set(step, 'failed')
    emit({ type: 'step-failed', step, message: describeErrorValue(plan.error) })
    return finish()
  }
  try {
    if (!options.stateChecked) await checkPlanState(host, plan)
  } catch (error) {
    const first = plan.selected[0] ?? 'plan'
    fail(first, error)
    emit({ type: 'step-failed', step: first, message: describeError(error) })
    return finish()
  }

  const byId = new Map(steps.map((step) => [step.id, step]))
  const guard = new ApprovedChangeGuard()
  const previousGuard = host.setGuard(guard)
  let currentStep = ''
  const unsubscribe = forwardHostEvents(host, () => currentStep, emit)
  let facts: HostFacts | undefined
  const outputs = new Map(plan.planned.map((step) => [step.id, step.outputs]))
  try {
    for (const planned of plan.planned) {
      if (signal.aborted) {
        summary.status = 'cancelled'
        for (const id of plan.selected.slice(plan.selected.indexOf(planned.id)))
          outcome.set(id, 'cancelled')
        break
      }
      currentStep = planned.id
      const log = (line: string): void =>
        emit({ type: 'log', step: planned.id, stream: 'info', line })
      const progress = (done: number, total: number, label?: string): void =>
        emit({ type: 'progress', step: planned.id, done, total, ...(label ? { label } : {}) })
      emit({ type: 'step-started', step: planned.id, title: planned.title })
      emit({
        type: 'plan',
        step: planned.id,
        plan: { changes: planned.changes, notes: planned.notes },
      })
      try {
        for (const change of planned.changes)
          await executeChange(host, guard, change, { signal, log, progress })
        const status = planned.changes.length > 0 ? 'changed' : 'ok'
        if (status === 'changed') {
          summary.status = 'changed'
          facts = undefined
        }
        const step = byId.get(planned.id)
        if (step?.verify)
          summary.proofs[planned.id] = await step.verify({
            site,
            host,
            signal,
            log,
            progress,
            output: <O>(earlier: Step<O, unknown>) => outputs.get(earlier.id) as O | undefined,
            proof: <P>(earlier: Step<unknown, P>) => summary.proofs[earlier.id] as P | undefined,
            finding: (finding) =>
              emit({
                type: 'finding',
                step: planned.id,
                finding: { host: host.label, ...finding },
              }),
            async facts(refresh = false) {
              if (!facts || refresh) facts = await probeFacts(host, plan.state.mirrorDirectory)
              return facts
            },
          })
        outcome.set(planned.id, status)
        emit({ type: 'step-done', step: planned.id, status, changes: planned.changes.length })
      } catch (error) {
        if (error instanceof FailedProof) summary.proofs[planned.id] = error.proof
        fail(planned.id, error)
        outcome.set(planned.id, signal.aborted ? 'cancelled' : 'failed')
        if (signal.aborted)
          for (const id of plan.selected.slice(plan.selected.indexOf(planned.id) + 1))
            outcome.set(id, 'cancelled')
        emit({
          type: 'step-failed',
          step: planned.id,
          message: `${planned.title} failed: ${summary.error}`,
        })
        break
      }
    }
  } finally {
    unsubscribe()
    host.setGuard(previousGuard)
  }
  return finish()
}
