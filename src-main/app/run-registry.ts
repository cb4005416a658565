import { randomUUID } from 'node:crypto'
import type { ErrorView } from '#shared/ipc/contract'
import type { JobInfo } from './jobs/job'

export interface RegisteredRun {
  runId: string
  /** One run at a time per lock: a host's label, or all the worker hosts. */
  lock: string
  info: JobInfo
  controller: AbortController
  done: Promise<void>
}

/**
 * The runs under way in this session, wizard and dashboard alike, so that two runs never work on
 * one host at once. Stopping a run only stops following it: the engine stops between steps, and
 * a sync goes on on its host.
 */
export class RunRegistry {
  private readonly runs = new Map<string, RegisteredRun>()

  busy(lock: string): RegisteredRun | undefined {
    return this.runs.get(lock)
  }

  all(): RegisteredRun[] {
    return [...this.runs.values()]
  }

  /**
   * Starts `execute` unless the lock is taken. The lock is released as soon as `execute` settles,
   * before `finished` reports the result: whoever hears of the end may start the next run at once.
   */
  start<R>(
    lock: string,
    info: JobInfo,
    execute: (runId: string, signal: AbortSignal) => Promise<R>,
    finished: (result: R) => Promise<void> | void,
    runId: string = randomUUID(),
  ): { runId: string } | { busy: RegisteredRun } {
    const taken = this.runs.get(lock)
    if (taken) return { busy: taken }
    const controller = new AbortController()
    const run: RegisteredRun = { runId, lock, info, controller, done: Promise.resolve() }
    this.runs.set(lock, run)
    const release = (): void => {
      if (this.runs.get(lock) === run) this.runs.delete(lock)
    }
    run.done = execute(runId, controller.signal)
      .then(
        async (result) => {
          release()
          await finished(result)
        },
        (error: unknown) => {
          release()
          throw error
        },
      )
      .catch((error: unknown) => console.error(`Run ${runId} could not be recorded:`, error))
    return { runId }
  }

  stop(runId: string): boolean {
    const run = this.all().find((candidate) => candidate.runId === runId)
    run?.controller.abort()
    return run !== undefined
  }

  /** Stops following every run and waits for them to settle. */
  async stopAll(): Promise<void> {
    const runs = this.all()
    for (const run of runs) run.controller.abort()
    await Promise.all(runs.map((run) => run.done))
  }
}

/** "A mirror run", "A sync-now run": for the refusal when a host is busy. */
export function describeRun(info: JobInfo): string {
  return info.kind === 'wizard' ? `A ${info.stage} run` : `A “${info.title}” run`
}

/** The answer to a run asked for while another holds its lock. */
export function busyRefusal(
  busy: JobInfo,
  lock: string,
  hint: string,
): { kind: 'refused'; error: ErrorView } {
  return {
    kind: 'refused',
    error: { message: `${describeRun(busy)} is already under way on ${lock}.`, hint },
  }
}
