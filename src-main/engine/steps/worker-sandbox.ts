import { unifiedDiff } from '../config/diff'
import { readRemoteFile, writeRemoteFileAtomic } from '../ssh/files'
import type { DoctorFinding } from '../workers/doctor-finding'
import { locateOl } from '../workers/locate-ol'
import {
  describeOlBuild,
  detectOlBuild,
  needsSandboxPipConf,
  type OlBuild,
} from '../workers/ol-build'
import { sandboxPipConf, sandboxPipConfPath } from '../workers/sandbox-pip-conf'
import { sandboxPython } from '../workers/sandbox-python'
import { addStatusNote } from '../workers/status-notes'
import { readWorkerConfig, sandboxBaseDir } from '../workers/worker-config-file'
import type { WorkerTarget } from '../workers/worker-target'
import type { Change, Step, StepContext, StepPlan } from './step'

/** Where the step leaves what it found, for the proof step. */
export const OL_BUILD = 'worker.olBuild'

interface SandboxPlan extends StepPlan {
  pipConf: { path: string; content: string } | null
}

/** The sandboxes run a Python the mirror is not proven for: a warning with its one-click fix. */
export function sandboxPythonFinding(
  version: string,
  answer: string,
  command: string,
  pythonVersions: readonly string[],
): DoctorFinding | null {
  if (pythonVersions.includes(version)) return null
  return {
    severity: 'warning',
    cause: 'sandbox-python',
    title: `The sandboxes run Python ${version}, which the mirror is not proven for (it has ${pythonVersions.join(', ')})`,
    evidence: `${command}: ${answer}`,
    fix: `add "${version}" to mirror.pythonVersions and apply the mirror again: it then keeps and proves files for Python ${version}`,
    action: { kind: 'add-python', pythonVersion: version },
  }
}

async function look(ctx: StepContext, target: WorkerTarget) {
  const { workerDir } = target.worker
  const config = await readWorkerConfig(ctx.host, workerDir)
  const base = sandboxBaseDir(config, workerDir)
  const build = await detectOlBuild(ctx.host, await locateOl(ctx.host, target.worker.ol))
  const python = config.text === null ? null : await sandboxPython(ctx.host, base)
  return { config, base, build, python }
}

function notePython(ctx: StepContext, found: Awaited<ReturnType<typeof look>>): void {
  if (!found.python) return
  addStatusNote(ctx, `sandbox Python ${found.python.version}`)
  const finding = sandboxPythonFinding(
    found.python.version,
    found.python.answer,
    found.python.command,
    ctx.site.mirror.pythonVersions,
  )
  if (finding) ctx.finding(finding)
}

/**
 * Which OpenLambda the worker runs (from its ol binary) and what its sandboxes run (their base's
 * own python3). Where the build ignores config.json's pip_mirror, the sandboxes' pip.conf points
 * pip at the mirror instead: a diff in the plan, the previous file kept.
 */
export function workerSandboxStep(target: WorkerTarget): Step<SandboxPlan> {
  return {
    id: 'worker-sandbox',
    title: "Point the sandboxes' pip at the mirror",
    async check(ctx) {
      const plan = await this.plan(ctx)
      return { done: plan.changes.length === 0, summary: plan.notes[0] ?? '' }
    },
    async plan(ctx) {
      const found = await look(ctx, target)
      ctx.shared.set(OL_BUILD, found.build)
      addStatusNote(ctx, describeOlBuild(found.build))
      notePython(ctx, found)
      const notes = [
        `${found.build.ol}: ${describeOlBuild(found.build)}${found.build.argvText ? ` (its installer runs ${found.build.argvText})` : ''}`,
        found.python
          ? `the sandboxes run ${found.python.answer} (${found.python.command})`
          : `the sandboxes' Python is read once ol worker init has made ${found.base}`,
      ]
      if (!needsSandboxPipConf(found.build)) return { changes: [], notes, pipConf: null }
      const path = sandboxPipConfPath(found.base)
      const current = found.config.text === null ? null : await readRemoteFile(ctx.host, path)
      const before = current?.toString('utf8') ?? null
      const content = sandboxPipConf(before, target.pipMirror)
      if (before === content) return { changes: [], notes, pipConf: null }
      const change: Change = {
        kind: 'file',
        summary: `pip in the sandboxes: index-url ${target.pipMirror}/simple/`,
        path,
        diff: found.config.text === null ? '' : unifiedDiff(before, content, { path }),
      }
      return { changes: [change], notes, pipConf: { path, content } }
    },
    async apply(ctx, plan) {
      const found = await look(ctx, target)
      if (!plan.pipConf || !needsSandboxPipConf(found.build)) return
      const path = sandboxPipConfPath(found.base)
      const previous = await readRemoteFile(ctx.host, path)
      const content = sandboxPipConf(previous?.toString('utf8') ?? null, target.pipMirror)
      const written = await writeRemoteFileAtomic(ctx.host, path, content, {
        ...(previous ? { previous } : {}),
      })
      if (written.backupPath) ctx.log(`the previous pip.conf is kept as ${written.backupPath}`)
    },
    async verify() {},
  }
}

export type { OlBuild }
