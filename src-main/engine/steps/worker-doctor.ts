import { readRemoteFile } from '../ssh/files'
import { checkRequirements } from '../workers/check-requirements'
import type { DoctorFinding } from '../workers/doctor-finding'
import type { DryInstall } from '../workers/dry-install'
import { mirrorReachFindings } from '../workers/mirror-reach'
import { findWorkerPython } from '../workers/worker-python'
import {
  readWorkerConfig,
  registryDir,
  requirementsPaths,
  sandboxBaseDir,
  type WorkerConfigFile,
} from '../workers/worker-config-file'
import type { WorkerTarget } from '#shared/worker-target'
import type { Step, PlanContext } from './step'
import { sandboxPythonFinding } from './worker-sandbox'
import { locateOl } from '../workers/locate-ol'
import { mangledLineFindings } from '../workers/mangled-lines'
import { detectOlBuild, needsSandboxPipConf, type OlBuild } from '../workers/ol-build'
import { pointsAtMirror, sandboxIndex } from '../workers/sandbox-index'
import { sandboxPipConfPath } from '../workers/sandbox-pip-conf'
import { sandboxPython } from '../workers/sandbox-python'

export interface WorkerDoctorReport {
  findings: DoctorFinding[]
  notes: string[]
  /** The pip_mirror the worker really uses (config.json), or the site's when there is none. */
  pipMirror: string
  dryInstall: DryInstall | null
}

function configFindings(config: WorkerConfigFile, target: WorkerTarget): DoctorFinding[] {
  if (config.text === null)
    return [
      {
        severity: 'blocker',
        cause: 'worker-setup',
        title: `There is no OpenLambda worker in ${target.worker.workerDir}`,
        evidence: `${config.path} does not exist`,
        fix: 'apply the workers: it runs ol worker init and sets pip_mirror',
        action: { kind: 'apply-workers' },
      },
    ]
  if (config.settings === null)
    return [
      {
        severity: 'blocker',
        cause: 'worker-setup',
        title: 'config.json is not valid JSON: OpenLambda will not start',
        evidence: `${config.path}: ${config.parseError ?? ''}`,
        fix: 'repair the JSON by hand, or move the file away and apply the workers to recreate it',
      },
    ]
  const configured = config.settings.pip_mirror
  if (typeof configured !== 'string' || configured === '')
    return [
      {
        severity: 'blocker',
        cause: 'mirror-unreachable',
        title: "pip_mirror is not set: the worker's pip does not use the mirror",
        evidence: `${config.path}: "pip_mirror": ${JSON.stringify(configured ?? null)}`,
        fix: `apply the workers: it sets pip_mirror to ${target.pipMirror}`,
        action: { kind: 'apply-workers' },
      },
    ]
  if (configured.replace(/\/+$/, '') !== target.pipMirror)
    return [
      {
        severity: 'warning',
        cause: 'mirror-unreachable',
        title: `pip_mirror is ${configured}, not the site's ${target.pipMirror}`,
        evidence: `${config.path}: "pip_mirror": ${JSON.stringify(configured)}`,
        fix: `apply the workers: it sets pip_mirror to ${target.pipMirror}`,
        action: { kind: 'apply-workers' },
      },
    ]
  return []
}

async function diagnose(ctx: PlanContext, target: WorkerTarget): Promise<WorkerDoctorReport> {
  const { workerDir } = target.worker
  const config = await readWorkerConfig(ctx.host, workerDir)
  const findings = configFindings(config, target)
  const notes: string[] = []
  const configured = config.settings?.pip_mirror
  const pipMirror =
    typeof configured === 'string' && configured !== ''
      ? configured.replace(/\/+$/, '')
      : target.pipMirror
  const reach = await mirrorReachFindings(ctx.host, pipMirror)
  findings.push(...reach)
  const report = { findings, notes, pipMirror, dryInstall: null }
  if (reach.some((finding) => finding.severity === 'blocker')) {
    notes.push('the requirements were not compared: the mirror is not usable from this host')
    return report
  }
  notes.push(`${pipMirror}/simple/ answers HTTP 200 from ${ctx.host.label}`)
  const { txtFile } = requirementsPaths(registryDir(config, workerDir))
  const text = await readRemoteFile(ctx.host, txtFile)
  if (text === null) {
    notes.push(`${txtFile} does not exist: the lambdas install nothing`)
    return report
  }
  const python = await findWorkerPython(ctx.host, target, sandboxBaseDir(config, workerDir))
  notes.push(`Python ${python.version} for the sandboxes, from ${python.source}`)
  const checked = await checkRequirements(ctx.host, {
    pipMirror,
    python,
    path: txtFile,
    text: text.toString('utf8'),
  })
  return {
    findings: [
      ...findings,
      ...(await openLambdaFindings(ctx, target, config, pipMirror)),
      ...mangledLineFindings(text.toString('utf8'), txtFile),
      ...checked.findings,
    ],
    notes: [...notes, ...checked.notes],
    pipMirror,
    dryInstall: checked.dryInstall,
  }
}

/**
 * What this OpenLambda does with pip_mirror (from its binary) against what its sandboxes' pip
 * is configured with, and whether the mirror is proven for the sandboxes' Python.
 */
async function openLambdaFindings(
  ctx: PlanContext,
  target: WorkerTarget,
  config: WorkerConfigFile,
  pipMirror: string,
): Promise<DoctorFinding[]> {
  const base = sandboxBaseDir(config, target.worker.workerDir)
  const findings: DoctorFinding[] = []
  const python = await sandboxPython(ctx.host, base)
  const pythonFinding =
    python &&
    sandboxPythonFinding(
      python.version,
      python.answer,
      python.command,
      ctx.site.mirror.pythonVersions,
    )
  if (pythonFinding) findings.push(pythonFinding)
  let build: OlBuild
  try {
    build = await detectOlBuild(ctx.host, await locateOl(ctx.host, target.worker.ol))
  } catch {
    return findings // the config findings already say there is no usable OpenLambda here
  }
  if (!needsSandboxPipConf(build)) return findings
  const index = await sandboxIndex(ctx.host, base)
  if (pointsAtMirror(index, pipMirror)) return findings
  findings.push({
    severity: 'blocker',
    cause: 'ignores-pip-mirror',
    title: `This OpenLambda ignores pip_mirror, and its sandboxes' pip uses ${index.indexUrl ?? 'pypi.org (no index-url set)'}`,
    evidence: `${build.ol}: its installer runs ${build.argvText ?? 'an unknown pip command'} (no --index-url); pip configuration in ${base}: ${index.files.join('; ') || 'none'}`,
    fix: `apply the workers: it writes ${sandboxPipConfPath(base)} with index-url ${pipMirror}/simple/ and trusted-host`,
    action: { kind: 'apply-workers' },
  })
  return findings
}

/**
 * The seed's "Potential Issues", checked on one worker from the worker host itself. A read-only
 * step: each finding names its evidence and the one action that fixes it; the report is its output.
 */
export function workerDoctorStep(target: WorkerTarget): Step<WorkerDoctorReport> {
  return {
    id: 'worker-doctor',
    title: 'Diagnose the worker',
    async plan(ctx) {
      const diagnosed = await diagnose(ctx, target)
      const findings = diagnosed.findings.map((finding) => ({ host: ctx.host.label, ...finding }))
      const report = { ...diagnosed, findings }
      for (const note of report.notes) ctx.log(note)
      for (const finding of report.findings) ctx.finding(finding)
      return { changes: [], notes: report.notes, outputs: report }
    },
  }
}
