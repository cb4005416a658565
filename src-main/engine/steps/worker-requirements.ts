import { EngineError } from '../errors'
import { command, type Change } from '../plan/change'
import { fileRead } from '../plan/state-request'
import { scriptCommand } from '../remote/quote'
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
  configJsonPath,
  parseWorkerConfig,
  registryDir,
  requirementsPaths,
  sandboxBaseDir,
} from '../workers/worker-config-file'
import type { WorkerTarget } from '#shared/worker-target'
import { UV_VERSION } from './bandersnatch-release'
import { lowestPython } from './resolve-requirements'
import { fileChange, readFileOnItsOwn } from './managed-file'
import { toolsVersions, toolsVersionsRead } from './probes'
import compileLambdaRequirements from './scripts/compile-lambda-requirements.sh?raw'
import type { PlanContext, Step } from './step'

/** The compile script puts the sandbox's Python, found when it runs, wherever this stands. */
const RUNTIME_PYTHON = '%PY%'

interface Wanted {
  registry: string
  inFile: string
  txtFile: string
  /** requirements.in as it should be; null when there are no lambda requirements at all. */
  inText: string | null
  /** requirements.in as it is on the host. */
  inNow: string | null
  /** null: the sandbox does not exist yet (this plan initialises the worker). */
  python: WorkerPython | null
  sandboxBase: string
}

async function wanted(ctx: PlanContext, target: WorkerTarget): Promise<Wanted> {
  const { workerDir, registryRequirements } = target.worker
  const path = configJsonPath(workerDir)
  const config = parseWorkerConfig(path, ctx.state.text(path, ctx.host.label))
  const registry = registryDir(config, workerDir)
  const { inFile, txtFile } = requirementsPaths(registry)
  const sandboxBase = sandboxBaseDir(config, workerDir)
  const python =
    config.text === null && !target.worker.pythonVersion
      ? null
      : await findWorkerPython(ctx.host, target, sandboxBase)
  const inNow = (await readRemoteFile(ctx.host, inFile))?.toString('utf8') ?? null
  const inText = registryRequirements ? requirementsInText(registryRequirements) : inNow
  return { registry, inFile, txtFile, inText, inNow, python, sandboxBase }
}

/**
 * Compiles now when uv is there and the mirror answers: the exact requirements.txt to write.
 * null when the mirror cannot be reached yet (this run may be the one that sets it up).
 */
async function compileNow(
  ctx: PlanContext,
  target: WorkerTarget,
  want: Wanted,
): Promise<string | null> {
  if (!want.python || toolsVersions(ctx.state).get('uv') !== UV_VERSION) return null
  const result = await ctx.host.read(compileArgv(target.pipMirror, want.python.version), {
    stdin: want.inText ?? '',
    signal: ctx.signal,
  })
  if (result.code === 0)
    return requirementsTxtText(result.stdout, target.pipMirror, want.python.version)
  if (/connect|dns|timed out|refused|unreachable|failed to fetch/i.test(result.stderr)) return null
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
 * Writes registry/requirements.in and the pinned requirements.txt OpenLambda installs, compiled
 * against the mirror (now when the mirror answers, else by a planned command once it does), then
 * proves every line installs from the mirror.
 */
export function workerRequirementsStep(target: WorkerTarget): Step {
  const { workerDir } = target.worker
  return {
    id: 'worker-requirements',
    title: 'Compile the lambda requirements against the mirror',
    reads: () => [fileRead(configJsonPath(workerDir)), toolsVersionsRead()],
    async plan(ctx) {
      const want = await wanted(ctx, target)
      const fallback = lowestPython(target.mirrorPythonVersions)
      const notes = [
        want.python
          ? `Python ${want.python.version} for the sandboxes, from ${want.python.source}`
          : `the sandboxes' Python is read from ${want.sandboxBase} once ol worker init has made it (else ${fallback}, the mirror's lowest)`,
      ]
      if (want.inText === null)
        return {
          changes: [],
          notes: [`no lambda requirements in the site and no ${want.inFile}: nothing to compile`],
        }
      const login = ctx.facts.user
      const changes: Change[] = []
      const inChange = fileChange(
        ...(await readFileOnItsOwn(ctx.host, want.inFile)),
        login,
        { path: want.inFile, content: want.inText, asRoot: true },
        'Write requirements.in',
      )
      if (inChange)
        changes.push(
          command(`Create ${want.registry} if it is missing`, ['mkdir', '-p', want.registry]),
          inChange,
        )
      const txt = await compileNow(ctx, target, want)
      if (txt !== null) {
        const txtChange = fileChange(
          ...(await readFileOnItsOwn(ctx.host, want.txtFile)),
          login,
          { path: want.txtFile, content: txt, asRoot: true },
          'Write the pinned requirements.txt',
        )
        if (txtChange) changes.push(txtChange)
        return { changes, notes }
      }
      const version = want.python?.version ?? RUNTIME_PYTHON
      changes.push(
        command(
          `Compile ${want.txtFile} against the mirror (once it serves and uv is installed)`,
          scriptCommand(compileLambdaRequirements, [
            want.inFile,
            want.txtFile,
            want.python ? '' : want.sandboxBase,
            want.python?.version ?? fallback,
            requirementsTxtText('', target.pipMirror, version).trimEnd(),
            ...compileArgv(target.pipMirror, version),
          ]),
        ),
      )
      return { changes, notes }
    },
    async verify(ctx) {
      const path = configJsonPath(workerDir)
      const configText = (await readRemoteFile(ctx.host, path))?.toString('utf8') ?? null
      const config = parseWorkerConfig(path, configText)
      const { inFile, txtFile } = requirementsPaths(registryDir(config, workerDir))
      if ((await readRemoteFile(ctx.host, inFile)) === null && !target.worker.registryRequirements)
        return
      const current = await readRemoteFile(ctx.host, txtFile)
      if (current === null) throw new EngineError(`${txtFile} is missing`, { host: ctx.host.label })
      const python = await findWorkerPython(ctx.host, target, sandboxBaseDir(config, workerDir))
      const checked = await checkRequirements(ctx.host, {
        pipMirror: target.pipMirror,
        python,
        path: txtFile,
        text: current.toString('utf8'),
      })
      for (const note of checked.notes) ctx.log(note)
      for (const finding of checked.findings) ctx.finding(finding)
      const blockers = checked.findings.filter((finding) => finding.severity === 'blocker')
      if (blockers.length > 0)
        throw new EngineError(
          `${txtFile} does not install from the mirror: ${blockers.map((b) => b.title).join('; ')}`,
          { host: ctx.host.label, hint: blockers[0]?.fix ?? '' },
        )
    },
  }
}
