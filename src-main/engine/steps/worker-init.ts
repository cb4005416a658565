import { posix } from 'node:path'
import { EngineError } from '../errors'
import { locateOl } from '../workers/locate-ol'
import { readWorkerConfig } from '../workers/worker-config-file'
import type { WorkerTarget } from '../workers/worker-target'
import type { Change, Step } from './step'

/** `ol worker init` when the worker directory has no config.json yet; nothing otherwise. */
export function workerInitStep(target: WorkerTarget): Step {
  const { workerDir, baseImage } = target.worker
  return {
    id: 'worker-init',
    title: 'Initialise the OpenLambda worker directory',
    async check(ctx) {
      const config = await readWorkerConfig(ctx.host, workerDir)
      const done = config.text !== null
      return { done, summary: done ? `${config.path} exists` : `${config.path} is missing` }
    },
    async plan(ctx) {
      const config = await readWorkerConfig(ctx.host, workerDir)
      if (config.text !== null) return { changes: [], notes: [`${config.path} exists`] }
      const ol = await locateOl(ctx.host, target.worker.ol)
      const changes: Change[] = [
        {
          kind: 'command',
          summary: `Create ${posix.dirname(workerDir)} if it is missing`,
          argv: ['mkdir', '-p', posix.dirname(workerDir)],
          sudo: true,
        },
        {
          kind: 'command',
          summary: `Create the worker directory ${workerDir} with OpenLambda's defaults`,
          argv: [ol, 'worker', 'init', '-p', workerDir, '-i', baseImage],
          sudo: true,
        },
      ]
      return { changes, notes: [`${config.path} is missing; ${ol} creates it`] }
    },
    async apply(ctx, plan) {
      for (const change of plan.changes) {
        if (change.kind !== 'command') continue
        ctx.log(change.summary)
        await ctx.host.run(change.argv, { sudo: change.sudo, signal: ctx.signal })
      }
    },
    async verify(ctx) {
      const config = await readWorkerConfig(ctx.host, workerDir)
      if (config.text === null)
        throw new EngineError(`ol worker init did not create ${config.path}`, {
          host: ctx.host.label,
          hint: `run ${target.worker.ol} worker init -p ${workerDir} -i ${baseImage} on the host and read its output`,
        })
    },
  }
}
