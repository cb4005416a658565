import { randomUUID } from 'node:crypto'
import { FleetHistory } from '../../app-data/fleet-history'
import type { HistoryStore, RunRecording } from '../../app-data/history-store'
import type { HostPlan } from '../../engine/plan/host-plan'
import type { RunEvent, RunMode } from '../../engine/run'
import type { ErrorView } from '#shared/ipc/contract'
import { errorView, errorViewOf } from '../engine-views'
import { busyRefusal, RunRegistry } from '../run-registry'
import { noPlanError, runHostJob } from './host-job'
import {
  jobLock,
  type HostJob,
  type Job,
  type JobInfo,
  type JobResult,
  type ShownPlan,
} from './job'
import { runWorkersJob } from './workers-job'

export type JobStart =
  | { kind: 'started'; runId: string; done: Promise<JobResult> }
  | { kind: 'refused'; error: ErrorView }

const BUSY_HINT: Record<Job['info']['kind'], string> = {
  wizard: 'wait for it to finish, or stop following it first',
  dashboard: 'wait for it to finish (or stop following it), then try again',
}

/**
 * The one way anything runs on a host from the app: wizard pages, dashboard actions and
 * schedules hand it a job. It holds the job's lock (one run at a time per host), plans, or
 * executes the plan on show (refusing an apply that no page showed), records the run in the
 * activity history and streams its events. Stopping a run only stops following it: the engine
 * stops between steps, and a sync goes on on its host.
 */
export class JobRunner {
  private readonly registry = new RunRegistry()

  constructor(private readonly history: HistoryStore) {}

  /** The jobs under way, for a page that reloads in the middle of one. */
  running(): { runId: string; info: JobInfo }[] {
    return this.registry.all().map(({ runId, info }) => ({ runId, info }))
  }

  /**
   * Starts the job unless its lock is taken or an apply has nothing approved to run; `finished`
   * hears of the end once the lock is free again.
   */
  start(
    job: Job,
    mode: RunMode,
    finished: (result: JobResult) => Promise<void> | void = () => undefined,
    runId: string = randomUUID(),
  ): JobStart {
    const lock = jobLock(job)
    const busy = this.registry.busy(lock)
    if (busy) return busyRefusal(busy.info, lock, BUSY_HINT[job.info.kind])
    let approved: ShownPlan | undefined
    if (mode === 'apply') {
      try {
        if (job.kind === 'host') job.precondition?.()
      } catch (error) {
        return { kind: 'refused', error: invalidRequest(error) }
      }
      approved = job.shown.plans.take(job.shown.key, job.shown.request)
      if (!approved && job.unplanned === 'refuse')
        return { kind: 'refused', error: errorView(noPlanError()) }
    }
    let settle: (result: JobResult) => void = () => undefined
    const done = new Promise<JobResult>((resolve) => (settle = resolve))
    const started = this.registry.start(
      lock,
      job.info,
      async (id, signal) => {
        const result = await this.execute(job, mode, id, signal, approved)
        settle(result)
        return result
      },
      finished,
      runId,
    )
    if ('busy' in started) return busyRefusal(started.busy.info, lock, BUSY_HINT[job.info.kind])
    return { kind: 'started', runId, done }
  }

  /** Stops following a run (the engine stops between steps; a sync goes on on the host). */
  stop({ runId }: { runId: string }): { stopped: boolean } {
    return { stopped: this.registry.stop(runId) }
  }

  /** Stops following every run and waits for them to settle. */
  stopAll(): Promise<void> {
    return this.registry.stopAll()
  }

  private async execute(
    job: Job,
    mode: RunMode,
    runId: string,
    signal: AbortSignal,
    approved: ShownPlan | undefined,
  ): Promise<JobResult> {
    const recordOn = (host: string): RunRecording => this.history.record({ ...job.history, host })
    if (job.kind === 'workers') {
      const history = new FleetHistory(recordOn)
      const result = await runWorkersJob(
        job,
        {
          runId,
          mode,
          signal,
          emit: (event) => {
            history.event(event)
            job.stream(event)
          },
        },
        approved && !('planned' in approved) ? approved : undefined,
      )
      await history.finish().catch((error: unknown) => console.error(error))
      return result
    }
    const plan = approved && 'planned' in approved ? approved : undefined
    return this.executeOnHost(job, mode, runId, signal, plan)
  }

  private async executeOnHost(
    job: HostJob,
    mode: RunMode,
    runId: string,
    signal: AbortSignal,
    approved: HostPlan | undefined,
  ): Promise<JobResult> {
    const { host } = job
    const recording = this.history.record({ ...job.history, host: host.label })
    let step = job.history.action
    const emit = (event: RunEvent): void => {
      if (event.type === 'step-started') step = event.step
      recording.emit(event)
      job.stream(event)
    }
    const unwatch = job.watch?.(host, () => step)
    const run = { runId, mode, host, site: job.site, signal, emit, at: (id: string) => (step = id) }
    let result: JobResult
    try {
      result = await runHostJob(job, run, approved, () => step)
    } finally {
      unwatch?.()
    }
    const failed = result.status === 'failed' || result.status === 'cancelled'
    const recorded = await recording
      .finish(
        failed
          ? {
              status: result.status === 'failed' ? 'failed' : 'cancelled',
              error: result.error ? errorViewOf(result.error).message : null,
            }
          : {},
      )
      .catch((error: unknown) => {
        console.error('Could not record the run:', error)
        return null
      })
    return { ...result, historyId: recorded?.id ?? null }
  }
}

/** A request the engine refused before touching anything: the message names the field. */
export function invalidRequest(error: unknown): ErrorView {
  const view = errorView(error)
  return view.hint ? view : { ...view, hint: 'correct what the message names, then try again' }
}
