import { z } from 'zod'
import { setPipMirror, WorkerConfigError, type PipMirrorEdit } from '../config/worker-config'
import { EngineError } from '../errors'
import { command } from '../plan/change'
import { fileRead } from '../plan/state-request'
import { backupPathFor } from '../ssh/files'
import { runPythonJson } from '../remote/python'
import { configJsonPath } from '../workers/worker-config-file'
import type { WorkerTarget } from '#shared/worker-target'
import { planFile } from './managed-file'
import readPipMirror from './scripts/read-pip-mirror.py?raw'
import setFreshPipMirror from './scripts/set-fresh-pip-mirror.py?raw'
import type { PlanContext, Step } from './step'

function edit(ctx: PlanContext, path: string, text: string, url: string): PipMirrorEdit {
  try {
    return setPipMirror(text, url)
  } catch (error) {
    if (!(error instanceof WorkerConfigError)) throw error
    ctx.finding({
      severity: 'blocker',
      title: `${path} cannot be edited: ${error.message}`,
      evidence: path,
      fix: 'repair the JSON by hand, or recreate the file with ol worker init (that resets every setting)',
    })
    throw new EngineError(`${error.message}. ${path} was left untouched`, {
      host: ctx.host.label,
      hint: 'repair the JSON by hand (the line and column are above), or move the file away and apply again to recreate it with ol worker init',
    })
  }
}

/** Points config.json's pip_mirror at the mirror, changing that field only. */
export function workerConfigStep(target: WorkerTarget): Step<{ configChanges: boolean }> {
  const { workerDir } = target.worker
  const path = configJsonPath(workerDir)
  return {
    id: 'worker-config',
    title: 'Point the worker at the mirror (config.json pip_mirror)',
    reads: () => [fileRead(path)],
    async plan(ctx) {
      const text = ctx.state.text(path, ctx.host.label)
      if (text === null)
        return {
          changes: [
            command(
              `Set pip_mirror to ${target.pipMirror} once ol worker init has created the file (that value only; the file as ol wrote it is kept)`,
              ['python3', '-c', setFreshPipMirror, path, target.pipMirror, backupPathFor(path)],
            ),
          ],
          notes: [`${path} does not exist yet`],
          outputs: { configChanges: true },
        }
      const change = edit(ctx, path, text, target.pipMirror)
      if (!change.changed)
        return {
          changes: [],
          notes: [`pip_mirror is already ${target.pipMirror}`],
          outputs: { configChanges: false },
        }
      const file = planFile(
        ctx.state,
        ctx.host.label,
        { path, content: change.text, asRoot: true },
        `pip_mirror: ${JSON.stringify(change.previous ?? '(absent)')} → ${JSON.stringify(target.pipMirror)}`,
      )
      return {
        changes: file ? [file] : [],
        notes: ['every other byte of config.json stays as it is; the previous file is kept'],
        outputs: { configChanges: true },
      }
    },
    async verify(ctx) {
      const seen = await runPythonJson(
        ctx.host,
        `Reading ${path}`,
        readPipMirror,
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
