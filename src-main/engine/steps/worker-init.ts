import { posix } from 'node:path'
import { EngineError } from '../errors'
import { command } from '../plan/change'
import { fileRead } from '../plan/state-request'
import { locateOl } from '../workers/locate-ol'
import { configJsonPath, readWorkerConfig } from '../workers/worker-config-file'
import type { WorkerTarget } from '#shared/worker-target'
import type { Step } from './step'

/** `ol worker init` when the worker directory has no config.json yet; nothing otherwise. */
export function workerInitStep(target: WorkerTarget): Step<{ initialises: boolean }> {
  const { workerDir, baseImage } = target.worker
  const path = configJsonPath(workerDir)
  return {
    id: 'worker-init',
    title: 'Initialise the OpenLambda worker directory',
    reads: () => [fileRead(path)],
    async plan(ctx) {
      if (ctx.state.file(path).status !== 'absent')
        return { changes: [], notes: [`${path} exists`], outputs: { initialises: false } }
      const ol = await locateOl(ctx.host, target.worker.ol)
      return {
        changes: [
          command(`Create ${posix.dirname(workerDir)} if it is missing`, [
            'mkdir',
            '-p',
            posix.dirname(workerDir),
          ]),
          command(`Create the worker directory ${workerDir} with OpenLambda's defaults`, [
            ol,
            'worker',
            'init',
            '-p',
            workerDir,
            '-i',
            baseImage,
          ]),
        ],
        notes: [`${path} is missing; ${ol} creates it`],
        outputs: { initialises: true },
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
