import { fileRead } from '../plan/state-request'
import type { DoctorFinding } from '../workers/doctor-finding'
import { locateOl } from '../workers/locate-ol'
import {
  describeOlBuild,
  detectOlBuild,
  needsSandboxPipConf,
  type OlBuild,
} from '../workers/ol-build'
import { sandboxPipConf, sandboxPipConfPath } from '../workers/sandbox-pip-conf'
import { sandboxPython, type SandboxPython } from '../workers/sandbox-python'
import {
  configJsonPath,
  parseWorkerConfig,
  readWorkerConfig,
  sandboxBaseDir,
} from '../workers/worker-config-file'
import type { WorkerTarget } from '#shared/worker-target'
import { fileChange, readFileOnItsOwn } from './managed-file'
import type { Step } from './step'

/** What the step found, for the proof step and the worker's status line. */
export interface SandboxOutputs {
  /** What this worker's OpenLambda does with pip_mirror, read from its ol binary. */
  build: OlBuild
  /** The sandboxes' own python3; null until ol worker init has made their root. */
  python: SandboxPython | null
  /** The sandboxes' root (`sock_base_path`). */
  base: string
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

/** What the step's verification read once the changes ran: the sandboxes' Python. */
export interface SandboxProof {
  python: SandboxPython | null
}

/**
 * For the worker's status line: which OpenLambda, and its sandboxes' Python (as the plan read it,
 * or, for a worker the plan initialised, as the verification read it afterwards).
 */
export function sandboxStatusNotes(
  outputs: SandboxOutputs | undefined,
  proof: SandboxProof | undefined,
): string[] {
  if (!outputs) return []
  const python = proof?.python ?? outputs.python
  return [describeOlBuild(outputs.build), ...(python ? [`sandbox Python ${python.version}`] : [])]
}

/**
 * Which OpenLambda the worker runs (from its ol binary) and what its sandboxes run (their base's
 * own python3, asked with chroot). Where the build ignores config.json's pip_mirror, the
 * sandboxes' pip.conf points pip at the mirror instead: the file's whole new content and its diff
 * in the plan, the previous file kept. For a worker this plan initialises, the file is planned as
 * new (ol worker init's base has none); should it exist by then, the write is refused.
 */
export function workerSandboxStep(target: WorkerTarget): Step<SandboxOutputs, SandboxProof> {
  const { workerDir } = target.worker
  const configPath = configJsonPath(workerDir)
  return {
    id: 'worker-sandbox',
    title: "Point the sandboxes' pip at the mirror",
    reads: () => [fileRead(configPath)],
    async plan(ctx) {
      const config = parseWorkerConfig(configPath, ctx.state.text(configPath, ctx.host.label))
      const base = sandboxBaseDir(config, workerDir)
      const build = await detectOlBuild(ctx.host, await locateOl(ctx.host, target.worker.ol))
      const python = config.text === null ? null : await sandboxPython(ctx.host, base)
      const finding =
        python &&
        sandboxPythonFinding(
          python.version,
          python.answer,
          python.command,
          ctx.site.mirror.pythonVersions,
        )
      if (finding) ctx.finding(finding)
      const outputs: SandboxOutputs = { build, python, base }
      const notes = [
        `${build.ol}: ${describeOlBuild(build)}${build.argvText ? ` (its installer runs ${build.argvText})` : ''}`,
        python
          ? `the sandboxes run ${python.answer} (${python.command})`
          : `the sandboxes' Python is read once ol worker init has made ${base}`,
      ]
      if (!needsSandboxPipConf(build)) return { changes: [], notes, outputs }
      const path = sandboxPipConfPath(base)
      const [current, before] =
        config.text === null
          ? ([{ status: 'absent' }, null] as const)
          : await readFileOnItsOwn(ctx.host, path)
      const change = fileChange(
        current,
        before,
        ctx.facts.user,
        { path, content: sandboxPipConf(before, target.pipMirror), asRoot: true },
        `pip in the sandboxes: index-url ${target.pipMirror}/simple/`,
      )
      return { changes: change ? [change] : [], notes, outputs }
    },
    async verify(ctx) {
      const planned = ctx.output(workerSandboxStep(target))
      if (planned?.python) return { python: planned.python }
      // A worker this plan initialised: its sandboxes' root exists now.
      const config = await readWorkerConfig(ctx.host, workerDir)
      const base = sandboxBaseDir(config, workerDir)
      const python = await sandboxPython(ctx.host, base)
      if (python) {
        ctx.log(`the sandboxes run ${python.answer} (${python.command})`)
        const finding = sandboxPythonFinding(
          python.version,
          python.answer,
          python.command,
          ctx.site.mirror.pythonVersions,
        )
        if (finding) ctx.finding(finding)
      }
      return { python }
    },
  }
}
