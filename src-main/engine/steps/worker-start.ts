import { EngineError } from '../errors'
import { locateOl } from '../workers/locate-ol'
import { waitForWorker, workerLogTail, workerState } from '../workers/worker-process'
import type { WorkerTarget } from '../workers/worker-target'
import { CONFIG_CHANGED } from './worker-config'
import type { Change, Step, StepContext } from './step'

export function upCommand(ol: string, workerDir: string): Change {
  return {
    kind: 'command',
    summary: `Start the worker detached (ol worker up -d)`,
    argv: [ol, 'worker', 'up', '-p', workerDir, '-d'],
    sudo: true,
  }
}

export function downCommand(ol: string, workerDir: string): Change {
  return {
    kind: 'command',
    summary: 'Stop the worker (ol worker down)',
    argv: [ol, 'worker', 'down', '-p', workerDir],
    sudo: true,
  }
}

/** Runs the planned ol commands, then waits for /status and shows worker.out's last lines. */
export async function runWorkerCommands(
  ctx: StepContext,
  workerDir: string,
  changes: readonly Change[],
): Promise<void> {
  const startsWorker = (change: Change) => change.kind === 'command' && change.argv[2] === 'up'
  for (const change of changes) {
    if (change.kind !== 'command') continue
    ctx.log(change.summary)
    try {
      await ctx.host.run(change.argv, { sudo: change.sudo, signal: ctx.signal })
    } catch (error) {
      if (!startsWorker(change)) throw error
      const tail = await workerLogTail(ctx.host, workerDir, 12)
      throw new EngineError(
        `${(error as Error).message}\nThe end of worker.out:\n${tail.join('\n')}`,
        {
          host: ctx.host.label,
          hint: 'read worker.out; OpenLambda writes there why the worker stopped',
        },
      )
    }
  }
  if (!changes.some(startsWorker)) return
  const state = await waitForWorker(ctx.host, workerDir, 30_000, ctx.signal)
  ctx.log(`${state.statusUrl} answers "${state.answer}"`)
  ctx.log('the end of worker.out:')
  for (const line of await workerLogTail(ctx.host, workerDir)) ctx.log(`  ${line}`)
}

/**
 * Starts the worker when it does not answer, and restarts it when this run changed its
 * config.json (OpenLambda reads pip_mirror at start-up only).
 */
export function workerStartStep(target: WorkerTarget): Step {
  const { workerDir } = target.worker
  return {
    id: 'worker-start',
    title: 'Start the worker',
    async check(ctx) {
      const state = await workerState(ctx.host, workerDir)
      return { done: state.answering, summary: `${state.statusUrl}: ${state.answer}` }
    },
    async plan(ctx) {
      const state = await workerState(ctx.host, workerDir)
      const configChanged = ctx.shared.get(CONFIG_CHANGED) === true
      if (state.answering && !configChanged)
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
        notes: ['config.json changed: the worker restarts to read the new pip_mirror'],
      }
    },
    async apply(ctx, plan) {
      await runWorkerCommands(ctx, workerDir, plan.changes)
    },
    async verify(ctx) {
      await waitForWorker(ctx.host, workerDir, 10_000, ctx.signal)
    },
  }
}
