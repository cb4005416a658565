import { defineStore } from 'pinia'
import { ref } from 'vue'
import type {
  ActiveRun,
  ErrorView,
  Finding,
  PlanView,
  RunEventView,
  RunMode,
  StageId,
  StageRecord,
} from '../../../src-main/ipc-contract'
import { invoke } from '../api'
import { toErrorView } from '../errors'
import { LogBuffer } from '../log-buffer'

export type StepState = 'pending' | 'running' | 'ok' | 'changed' | 'planned' | 'failed'

/** A run as its events arrive; replaced by the stage's record when it finishes. */
export interface LiveRun {
  runId: string
  stage: StageId
  mode: RunMode
  steps: { id: string; title: string; state: StepState }[]
  progress: { step: string; done: number; total: number; label?: string } | null
  plans: { step: string; plan: PlanView }[]
  findings: Finding[]
  failure: string | null
}

export type RunResult = { record: StageRecord } | { error: ErrorView }

/** The engine's runs, per stage: the one under way, the last finished one, and their logs. */
export const useRunsStore = defineStore('runs', () => {
  const records = ref<Partial<Record<StageId, StageRecord>>>({})
  const live = ref<Partial<Record<StageId, LiveRun>>>({})
  /** Bumped whenever a stage's log grows; the log views watch it. */
  const logRevision = ref<Partial<Record<StageId, number>>>({})
  const logs = new Map<StageId, LogBuffer>()
  const waiters = new Map<string, (record: StageRecord) => void>()
  /** Runs that ended before their start call returned (their events come first). */
  const finishedEarly = new Map<string, StageRecord>()

  function logOf(stage: StageId): LogBuffer {
    let buffer = logs.get(stage)
    if (!buffer) {
      buffer = new LogBuffer()
      logs.set(stage, buffer)
    }
    return buffer
  }

  function appendLog(stage: StageId, line: Parameters<LogBuffer['append']>[0]): void {
    logOf(stage).append(line)
    logRevision.value[stage] = (logRevision.value[stage] ?? 0) + 1
  }

  function isRunning(stage: StageId): boolean {
    return live.value[stage] !== undefined
  }

  function beginLive(runId: string, stage: StageId, mode: RunMode): LiveRun {
    const run: LiveRun = {
      runId,
      stage,
      mode,
      steps: [],
      progress: null,
      plans: [],
      findings: [],
      failure: null,
    }
    live.value[stage] = run
    return run
  }

  /** Starts a stage and resolves with its record when it ends (or with why it could not start). */
  async function start(stage: StageId, mode: RunMode): Promise<RunResult> {
    let outcome
    try {
      outcome = await invoke('run:start', { stage, mode })
    } catch (failure) {
      return { error: toErrorView(failure) }
    }
    if (outcome.kind === 'refused') return { error: outcome.error }
    const { runId } = outcome
    const early = finishedEarly.get(runId)
    if (early) {
      finishedEarly.delete(runId)
      return { record: early }
    }
    if (live.value[stage]?.runId !== runId) beginLive(runId, stage, mode)
    return new Promise((resolve) => waiters.set(runId, (record) => resolve({ record })))
  }

  /** Waits for a run that is already under way (after the page was reloaded). */
  function follow(run: ActiveRun): Promise<StageRecord> {
    if (!live.value[run.stage]) beginLive(run.runId, run.stage, run.mode)
    return new Promise((resolve) => waiters.set(run.runId, resolve))
  }

  async function stop(stage: StageId): Promise<void> {
    const run = live.value[stage]
    if (run) await invoke('run:stop', { runId: run.runId }).catch(() => undefined)
  }

  function onRunEvent(runId: string, stage: StageId, event: RunEventView): void {
    const run =
      live.value[stage]?.runId === runId ? live.value[stage] : beginLive(runId, stage, 'apply')
    if (!run) return
    switch (event.type) {
      case 'run-started':
        run.mode = event.mode
        run.steps = event.steps.map((step) => ({ ...step, state: 'pending' }))
        appendLog(stage, {
          stream: 'info',
          text: `── ${event.mode === 'plan' ? 'Planning' : 'Applying'} on ${event.host} ──`,
        })
        break
      case 'step-started':
        setStepState(run, event.step, 'running', event.title)
        appendLog(stage, { stream: 'info', text: `== ${event.title}` })
        break
      case 'plan':
        run.plans.push({ step: event.step, plan: event.plan })
        break
      case 'log':
        appendLog(stage, { stream: event.stream, text: event.line })
        break
      case 'progress':
        run.progress = {
          step: event.step,
          done: event.done,
          total: event.total,
          ...(event.label ? { label: event.label } : {}),
        }
        break
      case 'finding':
        run.findings.push(event.finding)
        break
      case 'step-done':
        setStepState(run, event.step, event.status)
        break
      case 'step-failed':
        setStepState(run, event.step, 'failed')
        run.failure = event.message
        appendLog(stage, { stream: 'stderr', text: event.message })
        break
      case 'run-done':
        break
    }
  }

  function onRunFinished(record: StageRecord): void {
    records.value[record.stage] = record
    if (live.value[record.stage]?.runId === record.runId) delete live.value[record.stage]
    if (record.error)
      appendLog(record.stage, {
        stream: 'stderr',
        text: `${record.error.message}${record.error.hint ? `\nWhat to do: ${record.error.hint}` : ''}`,
      })
    const waiter = waiters.get(record.runId)
    if (waiter) {
      waiters.delete(record.runId)
      waiter(record)
    } else finishedEarly.set(record.runId, record)
  }

  function hydrate(stages: Partial<Record<StageId, StageRecord>>, active: ActiveRun | null): void {
    records.value = { ...stages }
    if (active) beginLive(active.runId, active.stage, active.mode)
  }

  return {
    records,
    live,
    logRevision,
    logOf,
    isRunning,
    start,
    follow,
    stop,
    onRunEvent,
    onRunFinished,
    hydrate,
  }
})

function setStepState(run: LiveRun, id: string, state: StepState, title?: string): void {
  const step = run.steps.find((candidate) => candidate.id === id)
  if (step) step.state = state
  else run.steps.push({ id, title: title ?? id, state })
}
