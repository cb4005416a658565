import { EngineError } from '../errors'
import { readRemoteFile } from '../ssh/files'
import { checkRequirements } from '../workers/check-requirements'
import {
  compileArgv,
  compileErrorFindings,
  requirementsInText,
  requirementsTxtText,
} from '../workers/compile-requirements'
import { findWorkerPython, type WorkerPython } from '../workers/worker-python'
import {
  readWorkerConfig,
  registryDir,
  requirementsPaths,
  sandboxBaseDir,
} from '../workers/worker-config-file'
import type { WorkerTarget } from '../workers/worker-target'
import { UV } from './mirror-layout'
import { planManagedFile, writeManagedFile, type ManagedFile } from './managed-file'
import type { Change, Step, StepContext, StepPlan } from './step'

interface RequirementsPlan extends StepPlan {
  files: ManagedFile[]
  registry: string
}

interface Wanted {
  registry: string
  inFile: string
  txtFile: string
  /** requirements.in as it should be; null when there are no lambda requirements at all. */
  inText: string | null
  python: WorkerPython
}

async function wanted(ctx: StepContext, target: WorkerTarget): Promise<Wanted> {
  const { workerDir, registryRequirements } = target.worker
  const config = await readWorkerConfig(ctx.host, workerDir)
  const registry = registryDir(config, workerDir)
  const { inFile, txtFile } = requirementsPaths(registry)
  const python = await findWorkerPython(ctx.host, target, sandboxBaseDir(config, workerDir))
  if (registryRequirements)
    return { registry, inFile, txtFile, inText: requirementsInText(registryRequirements), python }
  const existing = await readRemoteFile(ctx.host, inFile)
  return { registry, inFile, txtFile, inText: existing?.toString('utf8') ?? null, python }
}

async function compile(ctx: StepContext, target: WorkerTarget, want: Wanted): Promise<string> {
  const result = await ctx.host.exec(compileArgv(target.pipMirror, want.python.version), {
    stdin: want.inText ?? '',
    signal: ctx.signal,
  })
  if (result.code === 0)
    return requirementsTxtText(result.stdout, target.pipMirror, want.python.version)
  const findings = compileErrorFindings(result.stderr, want.inFile)
  for (const finding of findings) ctx.finding(finding)
  const reason = result.stderr.trim().split('\n').slice(-3).join(' ')
  throw new EngineError(`requirements.in cannot be resolved against the mirror: ${reason}`, {
    host: ctx.host.label,
    hint:
      findings.map((finding) => finding.fix).join('; ') ||
      "read uv's message; every requirement must be in the mirror",
  })
}

/**
 * Writes registry/requirements.in and compiles it on the worker host into the pinned
 * requirements.txt that OpenLambda installs, then proves every line installs from the mirror.
 */
export function workerRequirementsStep(target: WorkerTarget): Step<RequirementsPlan> {
  return {
    id: 'worker-requirements',
    title: 'Compile the lambda requirements against the mirror',
    async check(ctx) {
      const plan = await this.plan(ctx)
      return { done: plan.changes.length === 0, summary: plan.notes[0] ?? '' }
    },
    async plan(ctx) {
      const want = await wanted(ctx, target)
      const notes = [`Python ${want.python.version} for the sandboxes, from ${want.python.source}`]
      if (want.inText === null)
        return {
          changes: [],
          notes: [`no lambda requirements in the site and no ${want.inFile}: nothing to compile`],
          files: [],
          registry: want.registry,
        }
      const files: ManagedFile[] = [{ path: want.inFile, content: want.inText }]
      const changes: Change[] = []
      const inChange = await planManagedFile(
        ctx.host,
        files[0] as ManagedFile,
        'Write requirements.in',
      )
      if (inChange) changes.push(inChange)
      const uv = await ctx.host.exec([UV, '--version'], { quiet: true })
      if (uv.code !== 0) {
        changes.push({
          kind: 'command',
          summary: `Compile ${want.txtFile} once uv is installed`,
          argv: compileArgv(target.pipMirror, want.python.version),
          sudo: false,
        })
        return { changes, notes, files, registry: want.registry }
      }
      const txt: ManagedFile = { path: want.txtFile, content: await compile(ctx, target, want) }
      files.push(txt)
      const txtChange = await planManagedFile(ctx.host, txt, 'Write the pinned requirements.txt')
      if (txtChange) changes.push(txtChange)
      return { changes, notes, files, registry: want.registry }
    },
    async apply(ctx, plan) {
      await ctx.host.run(['mkdir', '-p', plan.registry], { sudo: true })
      for (const file of plan.files) {
        const written = await writeManagedFile(ctx.host, file)
        if (written.backupPath)
          ctx.log(`the previous ${file.path} is kept as ${written.backupPath}`)
      }
    },
    async verify(ctx) {
      const want = await wanted(ctx, target)
      if (want.inText === null) return
      const current = await readRemoteFile(ctx.host, want.txtFile)
      if (current === null)
        throw new EngineError(`${want.txtFile} is missing`, { host: ctx.host.label })
      const checked = await checkRequirements(ctx.host, {
        pipMirror: target.pipMirror,
        python: want.python,
        path: want.txtFile,
        text: current.toString('utf8'),
      })
      for (const note of checked.notes) ctx.log(note)
      for (const finding of checked.findings) ctx.finding(finding)
      const blockers = checked.findings.filter((finding) => finding.severity === 'blocker')
      if (blockers.length > 0)
        throw new EngineError(
          `${want.txtFile} does not install from the mirror: ${blockers.map((b) => b.title).join('; ')}`,
          { host: ctx.host.label, hint: blockers[0]?.fix ?? '' },
        )
    },
  }
}
