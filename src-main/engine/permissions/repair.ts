import { EngineError } from '../errors'
import type { Site } from '../site'
import { writeRemoteFileAtomic } from '../ssh/files'
import type { RemoteHost } from '../ssh/remote-host'
import { diagnoseMirror, probeTargets } from './diagnose'
import type { MirrorDiagnosis } from './diagnosis'
import { waitForHttpOk, type HttpProbe, type ProbeTarget } from './http-probe'
import { NGINX_TEST_ARGV } from './nginx-control'
import { buildRepairPlan, type RepairAction, type RepairMode, type RepairPlan } from './repair-plan'

export interface RepairOptions {
  mode: RepairMode
}

export interface ApplyRepairOptions extends RepairOptions {
  /** The plan the operator saw; made afresh when absent. */
  plan?: RepairPlan
}

export interface RepairResult {
  plan: RepairPlan
  /** False when the plan was empty: nothing was written. */
  changed: boolean
  /** The URLs that failed before (and the mirror's index and a package), as they answer now. */
  http: HttpProbe[]
}

/** Diagnoses the mirror and says what the repair would change, touching nothing. */
export async function planRepair(
  host: RemoteHost,
  site: Site,
  options: RepairOptions = { mode: 'least' },
): Promise<RepairPlan> {
  const diagnosis = await diagnoseMirror(host, site)
  return buildRepairPlan(diagnosis, { mode: options.mode })
}

/**
 * Writes the corrected site through the engine's atomic write (the previous file kept as a
 * backup), has nginx check it, and puts the previous content back if nginx rejects it.
 */
async function editSite(
  host: RemoteHost,
  action: Extract<RepairAction, { kind: 'edit-site' }>,
): Promise<void> {
  const written = await writeRemoteFileAtomic(host, action.path, action.after, {
    previous: Buffer.from(action.before),
  })
  const test = await host.exec(NGINX_TEST_ARGV, { sudo: true })
  if (test.code === 0) return
  await writeRemoteFileAtomic(host, action.path, action.before, { backup: false })
  throw new EngineError(
    `nginx rejected ${action.path} after the alias was corrected, so the previous file was put back: ${(test.stderr || test.stdout).trim()}`,
    {
      host: host.label,
      hint: `nginx -t names the file and line at fault${written.backupPath ? `; the edited version was kept in ${written.backupPath}` : ''}`,
    },
  )
}

async function runAction(host: RemoteHost, action: RepairAction): Promise<void> {
  switch (action.kind) {
    case 'edit-site':
      await editSite(host, action)
      return
    case 'enable-site':
      await host.run(['ln', '-sfn', action.available, action.enabled], { sudo: true })
      return
    case 'chmod-path':
    case 'chmod-tree':
    case 'seed':
    case 'nginx':
      await host.run(action.argv, { sudo: true })
      return
  }
}

/**
 * Runs a plan's actions in order, as root. An empty plan runs nothing; a refused one throws
 * before anything runs.
 */
export async function executeRepairPlan(host: RemoteHost, plan: RepairPlan): Promise<void> {
  if (plan.refusal)
    throw new EngineError(`The repair refuses to change anything: ${plan.refusal}`, {
      host: host.label,
      hint: `make ${plan.diagnosis.webRoot} a directory of the mirror's own (not a link into a system location or someone else's home), then run the doctor again`,
    })
  for (const action of plan.actions) await runAction(host, action)
}

/** What proves the repair: every URL that failed before, the simple index and a package file. */
export function verificationTargets(diagnosis: MirrorDiagnosis): ProbeTarget[] {
  const failed = diagnosis.http.filter((probe) => probe.status !== 200)
  return [...probeTargets(diagnosis.baseUrl, diagnosis.tree).slice(0, 3), ...failed]
}

/** Throws, naming what still blocks, unless every URL answers 200. */
export async function confirmMirrorAnswers(
  host: RemoteHost,
  site: Site,
  targets: readonly ProbeTarget[],
): Promise<HttpProbe[]> {
  const http = await waitForHttpOk(host, targets)
  const failing = http.filter((probe) => probe.status !== 200)
  if (failing.length === 0) return http
  const after = await diagnoseMirror(host, site)
  const blockers = after.findings.filter((finding) => finding.severity !== 'info')
  throw new EngineError(
    `The mirror still does not answer: ${failing.map((probe) => `${probe.url} → ${probe.status || 'no answer'}`).join(', ')}`,
    {
      host: host.label,
      hint:
        blockers
          .map((finding) => `${finding.title}${finding.fix ? ` (${finding.fix})` : ''}`)
          .join('; ') || 'read nginx error log (/var/log/nginx/error.log)',
    },
  )
}

/**
 * Applies the repair (as root), then proves it over HTTP from the host. On a healthy mirror the
 * plan is empty and nothing is written.
 */
export async function applyRepair(
  host: RemoteHost,
  site: Site,
  options: ApplyRepairOptions = { mode: 'least' },
): Promise<RepairResult> {
  const plan = options.plan ?? (await planRepair(host, site, options))
  await executeRepairPlan(host, plan)
  const http = await confirmMirrorAnswers(host, site, verificationTargets(plan.diagnosis))
  return { plan, changed: plan.actions.length > 0, http }
}
