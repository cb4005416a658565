import { z } from 'zod'
import { unifiedDiff } from '../config/diff'
import { setPipMirror, WorkerConfigError, type PipMirrorEdit } from '../config/worker-config'
import { EngineError } from '../errors'
import { writeRemoteFileAtomic } from '../ssh/files'
import { readWorkerConfig, type WorkerConfigFile } from '../workers/worker-config-file'
import { runPythonJson } from '../remote/python'
import type { WorkerTarget } from '../workers/worker-target'
import type { StepContext, Step } from './step'

/** Set by apply when config.json changed, so that a running worker is restarted to read it. */
export const CONFIG_CHANGED = 'worker.configChanged'

/** What OpenLambda's Go decoder will read: the file parsed by another JSON parser than ours. */
const READ_PIP_MIRROR = `
import json, sys
value = json.load(open(sys.argv[1], encoding="utf-8"))
print(json.dumps({"pip_mirror": value.get("pip_mirror") if isinstance(value, dict) else None}))
`

function edit(ctx: StepContext, config: WorkerConfigFile, url: string): PipMirrorEdit {
  try {
    return setPipMirror(config.text ?? '', url)
  } catch (error) {
    if (!(error instanceof WorkerConfigError)) throw error
    ctx.finding({
      severity: 'blocker',
      title: `${config.path} cannot be edited: ${error.message}`,
      evidence: config.path,
      fix: 'repair the JSON by hand, or recreate the file with ol worker init (that resets every setting)',
    })
    throw new EngineError(`${error.message}. ${config.path} was left untouched`, {
      host: ctx.host.label,
      hint: 'repair the JSON by hand (the line and column are above), or move the file away and apply again to recreate it with ol worker init',
    })
  }
}

/** Points config.json's pip_mirror at the mirror, changing that field only. */
export function workerConfigStep(target: WorkerTarget): Step {
  const { workerDir } = target.worker
  return {
    id: 'worker-config',
    title: 'Point the worker at the mirror (config.json pip_mirror)',
    async check(ctx) {
      const config = await readWorkerConfig(ctx.host, workerDir)
      const done = config.text !== null && !edit(ctx, config, target.pipMirror).changed
      return { done, summary: done ? `pip_mirror is ${target.pipMirror}` : 'pip_mirror differs' }
    },
    async plan(ctx) {
      const config = await readWorkerConfig(ctx.host, workerDir)
      if (config.text === null)
        return {
          changes: [
            {
              kind: 'file',
              summary: `Set pip_mirror to ${target.pipMirror} once ol worker init has created the file`,
              path: config.path,
              diff: '',
            },
          ],
          notes: [`${config.path} does not exist yet`],
        }
      const change = edit(ctx, config, target.pipMirror)
      if (!change.changed)
        return { changes: [], notes: [`pip_mirror is already ${target.pipMirror}`] }
      return {
        changes: [
          {
            kind: 'file',
            summary: `pip_mirror: ${JSON.stringify(change.previous ?? '(absent)')} → ${JSON.stringify(target.pipMirror)}`,
            path: config.path,
            diff: unifiedDiff(config.text, change.text, { path: config.path }),
          },
        ],
        notes: ['every other byte of config.json stays as it is; the previous file is kept'],
      }
    },
    async apply(ctx) {
      const config = await readWorkerConfig(ctx.host, workerDir)
      const change = edit(ctx, config, target.pipMirror)
      if (!change.changed) return
      const written = await writeRemoteFileAtomic(ctx.host, config.path, change.text, {
        previous: Buffer.from(config.text ?? ''),
      })
      if (written.backupPath) ctx.log(`the previous config.json is kept as ${written.backupPath}`)
      ctx.shared.set(CONFIG_CHANGED, true)
    },
    async verify(ctx) {
      const path = `${workerDir}/config.json`
      const seen = await runPythonJson(
        ctx.host,
        `Reading ${path}`,
        READ_PIP_MIRROR,
        [path],
        z.object({ pip_mirror: z.unknown() }),
        { sudo: true },
      )
      if (seen.pip_mirror !== target.pipMirror)
        throw new EngineError(
          `${path} has pip_mirror ${JSON.stringify(seen.pip_mirror)}, not ${target.pipMirror}`,
          { host: ctx.host.label, hint: 'something else rewrote the file; apply again' },
        )
    },
  }
}
