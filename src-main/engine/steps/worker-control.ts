import { EngineError } from '../errors'
import { locateOl } from '../workers/locate-ol'
import { waitForWorker, workerLogTail, workerState } from '../workers/worker-process'
import type { WorkerTarget } from '#shared/worker-target'
import type { Step } from './step'
import { downCommand, upCommand } from './worker-start'

/** `ol worker down` when the worker answers; nothing when it is already stopped. */
export function workerStopStep(target: WorkerTarget): Step {
  const { workerDir } = target.worker
  return {
    id: 'worker-stop',
    title: 'Stop the worker',
    async plan(ctx) {
      const state = await workerState(ctx.host, workerDir)
      if (!state.answering)
        return { changes: [], notes: [`the worker is stopped (${state.answer})`] }
      return {
        changes: [downCommand(await locateOl(ctx.host, target.worker.ol), workerDir)],
        notes: [],
      }
    },
    async verify(ctx) {
      const state = await workerState(ctx.host, workerDir)
      if (state.answering)
        throw new EngineError(`The worker still answers ${state.statusUrl} after ol worker down`, {
          host: ctx.host.label,
          hint: 'look for a second worker process using the same port',
        })
      for (const line of await workerLogTail(ctx.host, workerDir, 5)) ctx.log(`  ${line}`)
    },
  }
}

/** `ol worker down` then `ol worker up -d`, always. */
export function workerRestartStep(target: WorkerTarget): Step {
  const { workerDir } = target.worker
  return {
    id: 'worker-restart',
    title: 'Restart the worker',
    async plan(ctx) {
      const ol = await locateOl(ctx.host, target.worker.ol)
      return { changes: [downCommand(ol, workerDir), upCommand(ol, workerDir)], notes: [] }
    },
    async verify(ctx) {
      await waitForWorker(ctx.host, workerDir, 10_000, ctx.signal)
    },
  }
}
