import { randomUUID } from 'node:crypto'
import { commandLine } from './remote/quote'
import { probeFacts, type HostFacts } from './remote/facts'
import type { RemoteHost } from './ssh/remote-host'
import type { Site } from './site'
import { describeError, EngineError } from './errors'
import type { Finding, Step, StepContext, StepPlan } from './steps/step'

export type RunMode = 'plan' | 'apply'
export type StepStatus = 'changed' | 'ok' | 'planned'

export type RunEvent =
  | {
      type: 'run-started'
      runId: string
      mode: RunMode
      host: string
      steps: { id: string; title: string }[]
    }
  | { type: 'step-started'; step: string; title: string }
  | { type: 'plan'; step: string; plan: StepPlan }
  | { type: 'log'; step: string; stream: 'stdout' | 'stderr' | 'command' | 'info'; line: string }
  | { type: 'progress'; step: string; done: number; total: number; label?: string }
  | { type: 'finding'; step: string; finding: Finding }
  | { type: 'step-done'; step: string; status: StepStatus; changes: number }
  | { type: 'step-failed'; step: string; message: string }
  | {
      type: 'run-done'
      runId: string
      status: 'ok' | 'changed' | 'planned' | 'failed' | 'cancelled'
      failedStep?: string
    }

export interface RunOptions {
  mode: RunMode
  /** Start again from this step (earlier steps are skipped, not undone). */
  from?: string
  /** Stop after this step. */
  to?: string
  signal?: AbortSignal
  /** Facts already gathered (saves the probe). */
  facts?: HostFacts
  shared?: Map<string, unknown>
}

export interface RunSummary {
  runId: string
  status: 'ok' | 'changed' | 'planned' | 'failed' | 'cancelled'
  steps: { id: string; status: StepStatus | 'failed' | 'skipped'; changes: number }[]
  failedStep?: string
  error?: string
}

/**
 * Runs steps in order against one host, reporting everything as typed events. Stops at the
 * first failure with a clear message; `from` starts again at any step.
 */
export async function runSteps(
  steps: readonly Step[],
  host: RemoteHost,
  site: Site,
  options: RunOptions,
  emit: (event: RunEvent) => void,
): Promise<RunSummary> {
  const runId = randomUUID()
  const startIndex = options.from ? steps.findIndex((s) => s.id === options.from) : 0
  const endIndex = options.to ? steps.findIndex((s) => s.id === options.to) : steps.length - 1
  if (startIndex < 0)
    throw new EngineError(`There is no step "${options.from}"`, {
      hint: `use one of: ${steps.map((s) => s.id).join(', ')}`,
    })
  if (endIndex < 0)
    throw new EngineError(`There is no step "${options.to}"`, {
      hint: `use one of: ${steps.map((s) => s.id).join(', ')}`,
    })
  const selected = steps.slice(startIndex, endIndex + 1)
  const summary: RunSummary = {
    runId,
    status: options.mode === 'plan' ? 'planned' : 'ok',
    steps: steps.map((s, i) => ({
      id: s.id,
      status: i < startIndex || i > endIndex ? 'skipped' : 'ok',
      changes: 0,
    })),
  }
  emit({
    type: 'run-started',
    runId,
    mode: options.mode,
    host: host.label,
    steps: selected.map(({ id, title }) => ({ id, title })),
  })

  let currentStep = ''
  const unsubscribe = host.onEvent((event) => {
    if (!currentStep) return
    if (event.type === 'command')
      emit({
        type: 'log',
        step: currentStep,
        stream: 'command',
        line: `${event.sudo ? '(as root) ' : ''}$ ${commandLine(event.argv)}`,
      })
    else if (event.type === 'output')
      emit({ type: 'log', step: currentStep, stream: event.stream, line: event.line })
    else
      emit({
        type: 'log',
        step: currentStep,
        stream: 'info',
        line: `writing ${event.path}${event.backupPath ? ` (previous kept as ${event.backupPath})` : ''}`,
      })
  })

  let facts = options.facts
  const shared = options.shared ?? new Map<string, unknown>()
  const signal = options.signal ?? new AbortController().signal
  const context = (step: string): StepContext => ({
    host,
    site,
    async facts(refresh = false) {
      if (!facts || refresh) facts = await probeFacts(host, site.mirror.directory)
      return facts
    },
    log: (line) => emit({ type: 'log', step, stream: 'info', line }),
    progress: (done, total, label) =>
      emit({ type: 'progress', step, done, total, ...(label ? { label } : {}) }),
    finding: (finding) =>
      emit({ type: 'finding', step, finding: { host: host.label, ...finding } }),
    shared,
    signal,
  })

  try {
    for (const step of selected) {
      const record = summary.steps.find((s) => s.id === step.id) as RunSummary['steps'][number]
      if (signal.aborted) {
        summary.status = 'cancelled'
        break
      }
      currentStep = step.id
      emit({ type: 'step-started', step: step.id, title: step.title })
      try {
        const ctx = context(step.id)
        const plan = await step.plan(ctx)
        emit({ type: 'plan', step: step.id, plan })
        record.changes = plan.changes.length
        if (options.mode === 'plan') {
          record.status = 'planned'
        } else {
          if (plan.changes.length > 0) {
            await step.apply(ctx, plan)
            record.status = 'changed'
            summary.status = 'changed'
          }
          await step.verify(ctx)
        }
        emit({
          type: 'step-done',
          step: step.id,
          status: record.status as StepStatus,
          changes: record.changes,
        })
      } catch (error) {
        record.status = 'failed'
        summary.status = signal.aborted ? 'cancelled' : 'failed'
        summary.failedStep = step.id
        summary.error = describeError(error)
        emit({
          type: 'step-failed',
          step: step.id,
          message: `${step.title} failed: ${summary.error}`,
        })
        break
      }
    }
  } finally {
    unsubscribe()
  }
  emit({
    type: 'run-done',
    runId,
    status: summary.status,
    ...(summary.failedStep ? { failedStep: summary.failedStep } : {}),
  })
  return summary
}
