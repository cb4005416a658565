import { randomUUID } from 'node:crypto'
import { describeError, describeErrorValue, errorValue, type ErrorValue } from './errors'
import type { Change } from './plan/change'
import type { HostPlan } from './plan/host-plan'
import { applyHostPlan } from './plan/apply-host'
import { planSteps } from './plan/plan-host'
import type { StepRange } from './plan/step-range'
import type { Site } from '#shared/site'
import type { RemoteHost } from './ssh/remote-host'
import type { Finding, Step } from './steps/step'

export type RunMode = 'plan' | 'apply'
export type StepStatus = 'changed' | 'ok' | 'planned'
/** How a step ended in a run: `not run` after an earlier failure, `skipped` outside from/to. */
export type StepOutcome = StepStatus | 'failed' | 'not run' | 'cancelled' | 'skipped'
export type RunStatus = 'ok' | 'changed' | 'planned' | 'failed' | 'cancelled'

export type RunEvent =
  | {
      type: 'run-started'
      runId: string
      mode: RunMode
      host: string
      steps: { id: string; title: string }[]
    }
  | { type: 'step-started'; step: string; title: string }
  | { type: 'plan'; step: string; plan: { changes: Change[]; notes: string[] } }
  | { type: 'log'; step: string; stream: 'stdout' | 'stderr' | 'command' | 'info'; line: string }
  | { type: 'progress'; step: string; done: number; total: number; label?: string }
  | { type: 'finding'; step: string; finding: Finding }
  | { type: 'step-done'; step: string; status: StepStatus; changes: number }
  | { type: 'step-failed'; step: string; message: string }
  | { type: 'run-done'; runId: string; status: RunStatus; failedStep?: string }

export interface RunSummary {
  runId: string
  status: RunStatus
  steps: { id: string; status: StepOutcome; changes: number }[]
  failedStep?: string
  /** The error for a person (message, where, what to do). */
  error?: string
  /** The same error as a value: the page shows it without parsing text. */
  failure?: ErrorValue
  /** The plan the run made (plan) or executed (apply). */
  plan?: HostPlan
  /** What each step's verification proved, by step id. */
  proofs: Record<string, unknown>
}

export interface RunOptions extends StepRange {
  mode: RunMode
  signal?: AbortSignal
}

/** The summary of a plan: each step planned, not run after a step that could not be planned. */
export function planSummary(runId: string, plan: HostPlan): RunSummary {
  const planned = new Map(plan.planned.map((step) => [step.id, step]))
  const selected = new Set(plan.selected)
  return {
    runId,
    status: plan.error ? 'failed' : 'planned',
    steps: plan.steps.map((step) => ({
      id: step.id,
      status: !selected.has(step.id)
        ? 'skipped'
        : step.id === plan.error?.step
          ? 'failed'
          : planned.has(step.id)
            ? 'planned'
            : 'not run',
      changes: planned.get(step.id)?.changes.length ?? 0,
    })),
    ...(plan.error ? { failedStep: plan.error.step, ...planFailure(plan) } : {}),
    plan,
    proofs: {},
  }
}

/**
 * Plans the steps on one host and, in apply mode, executes that same plan (no confirmation in
 * between: callers that ask first plan with `planSteps` and apply with `applyHostPlan`).
 */
export async function runSteps(
  steps: readonly Step[],
  host: RemoteHost,
  site: Site,
  options: RunOptions,
  emit: (event: RunEvent) => void,
): Promise<RunSummary> {
  const runId = randomUUID()
  const range = { from: options.from, to: options.to }
  const signal = options.signal ?? new AbortController().signal
  if (options.mode === 'plan') {
    emit({
      type: 'run-started',
      runId,
      mode: 'plan',
      host: host.label,
      steps: steps.map(({ id, title }) => ({ id, title })),
    })
    const plan = await planSteps(steps, host, site, { ...range, signal }, emit)
    const summary = planSummary(runId, plan)
    emit({ type: 'run-done', runId, status: summary.status, ...failedStepOf(summary) })
    return summary
  }
  emit({
    type: 'run-started',
    runId,
    mode: 'apply',
    host: host.label,
    steps: steps.map(({ id, title }) => ({ id, title })),
  })
  // Planning inside an apply run: only what a person must see (findings, why it failed).
  const plan = await planSteps(steps, host, site, { ...range, signal }, (event) => {
    if (event.type === 'finding' || event.type === 'log') emit(event)
  })
  if (plan.error) {
    const summary = planSummary(runId, plan)
    emit({ type: 'step-failed', step: plan.error.step, message: summary.error ?? '' })
    emit({ type: 'run-done', runId, status: 'failed', failedStep: plan.error.step })
    return summary
  }
  return applyHostPlan(plan, steps, host, site, { signal, runId, announced: true }, emit)
}

/** Why a plan could not be made, as text and as a value (the host is the plan's when unnamed). */
export function planFailure(plan: HostPlan): Pick<RunSummary, 'error' | 'failure'> {
  if (!plan.error) return {}
  const { step: _step, ...value } = plan.error
  return { error: describeErrorValue(value), failure: { ...value, host: value.host ?? plan.host } }
}

export function failedStepOf(summary: Pick<RunSummary, 'failedStep'>): { failedStep?: string } {
  return summary.failedStep ? { failedStep: summary.failedStep } : {}
}

/** A run that failed before any step could start (connecting, a stale plan). */
export function failedRun(
  runId: string,
  steps: readonly { id: string }[],
  error: unknown,
): RunSummary {
  return {
    runId,
    status: 'failed',
    steps: steps.map((step) => ({ id: step.id, status: 'not run', changes: 0 })),
    error: describeError(error),
    failure: errorValue(error),
    proofs: {},
  }
}
