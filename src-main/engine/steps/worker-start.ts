import { command, type CommandChange } from '../plan/change'
import { locateOl } from '../workers/locate-ol'
import { waitForWorker, workerState } from '../workers/worker-process'
import type { WorkerTarget } from '#shared/worker-target'
import type { Step } from './step'
import { workerConfigStep } from './worker-config'

/** `ol worker up -d`, then the run waits for /status to answer and shows worker.out. */
export function upCommand(ol: string, workerDir: string): CommandChange {
  return command(
    'Start the worker detached (ol worker up -d)',
    [ol, 'worker', 'up', '-p', workerDir, '-d'],
    {
      waitFor: { what: 'worker', workerDir, timeoutMs: 30_000 },
    },
  )
}

export function downCommand(ol: string, workerDir: string): CommandChange {
  return command('Stop the worker (ol worker down)', [ol, 'worker', 'down', '-p', workerDir])
}

/**
 * Starts the worker when it does not answer, and restarts it when this plan changes its
 * config.json (OpenLambda reads pip_mirror at start-up only).
 */
export function workerStartStep(target: WorkerTarget): Step {
  const { workerDir } = target.worker
  return {
    id: 'worker-start',
    title: 'Start the worker',
    async plan(ctx) {
      const state = await workerState(ctx.host, workerDir)
      const configChanges = ctx.output(workerConfigStep(target))?.configChanges ?? false
      if (state.answering && !configChanges)
        return { changes: [], notes: [`the worker answers ${state.statusUrl}`] }
      const ol = await locateOl(ctx.host, target.worker.ol)
      if (!state.answering)
        return {
          changes: [upCommand(ol, workerDir)],
          notes: [
            `the worker does not answer ${state.statusUrl ?? '(no config.json yet)'}: ${state.answer}`,
          ],
        }
      return {
        changes: [downCommand(ol, workerDir), upCommand(ol, workerDir)],
        notes: ['config.json changes: the worker restarts to read the new pip_mirror'],
      }
    },
    async verify(ctx) {
      await waitForWorker(ctx.host, workerDir, 10_000, ctx.signal)
    },
  }
}
