import { defineStore } from 'pinia'
import { ref } from 'vue'
import type {
  ActiveRun,
  ErrorView,
  RunEventView,
  RunMode,
  StageId,
  StageRecord,
} from '#shared/ipc/contract'
import { invoke } from '../api'
import { toErrorView } from '../errors'
import { applyRunEvent, newLiveRun, type LiveRunState } from '../live-run'
import { LogBuffer } from '../log-buffer'

export type { StepState } from '../live-run'

/** A stage's run as its events arrive; replaced by the stage's record when it finishes. */
export interface LiveRun extends LiveRunState {
  stage: StageId
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
    const run: LiveRun = { ...newLiveRun(runId, mode), stage }
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
    applyRunEvent(run, event, (line) => appendLog(stage, line))
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

  /** Takes the open setup's runs; another setup's live runs and logs are dropped. */
  function hydrate(
    stages: Partial<Record<StageId, StageRecord>>,
    active: ActiveRun | null,
    sameSetup = true,
  ): void {
    records.value = { ...stages }
    if (!sameSetup) {
      live.value = {}
      for (const buffer of logs.values()) buffer.clear()
      logRevision.value = {}
    }
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
