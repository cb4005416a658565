import { EngineError } from '../errors'
import type { Site } from '#shared/site'
import { executeChange } from '../plan/execute-change'
import { ApprovedChangeGuard } from '../plan/guards'
import type { RemoteHost } from '../ssh/remote-host'
import { diagnoseMirror, probeTargets } from './diagnose'
import type { MirrorDiagnosis } from './diagnosis'
import { waitForHttpOk, type HttpProbe, type ProbeTarget } from './http-probe'
import { buildRepairPlan, type RepairMode, type RepairPlan } from './repair-plan'

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
 * Runs the plan's changes in order, exactly as shown (the host refuses anything else meanwhile).
 * An empty plan runs nothing.
 */
export async function executeRepairPlan(
  host: RemoteHost,
  plan: Pick<RepairPlan, 'changes' | 'refusal' | 'diagnosis'>,
  log: (line: string) => void = () => undefined,
): Promise<void> {
  if (plan.refusal)
    throw new EngineError(`The repair refuses to change anything: ${plan.refusal}`, {
      host: host.label,
      hint: `make ${plan.diagnosis.webRoot} a directory of the mirror's own (not a link into a system location or someone else's home), then run the doctor again`,
    })
  const guard = new ApprovedChangeGuard()
  const previous = host.setGuard(guard)
  try {
    for (const change of plan.changes)
      await executeChange(host, guard, change, {
        signal: new AbortController().signal,
        log,
        progress: () => undefined,
      })
  } finally {
    host.setGuard(previous)
  }
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
  return { plan, changed: plan.changes.length > 0, http }
}
