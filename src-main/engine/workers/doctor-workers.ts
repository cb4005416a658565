import { describeError } from '../errors'
import { runFleet, type Connect, type FleetEvent, type FleetSummary } from '../fleet'
import { diagnoseMirror, type MirrorDiagnosis } from '../permissions'
import type { Site } from '#shared/site'
import { workerDoctorStep, type WorkerDoctorReport } from '../steps/worker-doctor'
import { workerJobs, type WorkerFleetOptions } from './apply-workers'

export interface WorkersDoctorReport {
  summary: FleetSummary
  /** Per worker label; absent for a host the doctor could not reach (see the summary). */
  workers: Record<string, WorkerDoctorReport>
  /** Every pinned line some worker needs and the mirror lacks: the "add and re-sync" offer. */
  mirrorAdditions: string[]
  /**
   * When a worker got 403 from the mirror, the permission doctor's diagnosis of the mirror host
   * (or why it could not run); null when no worker was refused.
   */
  permissions: { diagnosis: MirrorDiagnosis } | { error: string } | null
}

/** A 403 is nginx refusing to read the mirror: the permission doctor on the mirror host says why. */
async function handOverToPermissionDoctor(
  site: Site,
  connect: Connect,
): Promise<WorkersDoctorReport['permissions']> {
  try {
    const host = await connect(site.mirror.ssh)
    try {
      return { diagnosis: await diagnoseMirror(host, site) }
    } finally {
      host.close()
    }
  } catch (error) {
    return { error: describeError(error) }
  }
}

/**
 * The doctor on every worker at once: changes nothing, and reports for each worker what is wrong,
 * its evidence and the one action that fixes it, with a dry install that proves it.
 */
export async function doctorWorkers(
  site: Site,
  connect: Connect,
  options: WorkerFleetOptions,
  emit: (event: FleetEvent) => void,
): Promise<WorkersDoctorReport> {
  const jobs = workerJobs(site, (target) => [workerDoctorStep(target)], options.only)
  const summary = await runFleet(
    jobs,
    connect,
    {
      mode: 'plan',
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    },
    emit,
  )
  const workers: Record<string, WorkerDoctorReport> = {}
  const additions = new Set<string>()
  let refused = false
  for (const result of summary.hosts) {
    const report = result.summary?.plan?.planned[0]?.outputs as WorkerDoctorReport | undefined
    if (!report) continue
    workers[result.host] = report
    for (const finding of report.findings) {
      if (finding.action?.kind === 'add-to-mirror')
        for (const line of finding.action.requirements) additions.add(line)
      if (finding.action?.kind === 'permission-doctor') refused = true
    }
  }
  return {
    summary,
    workers,
    mirrorAdditions: [...additions].sort(),
    permissions: refused ? await handOverToPermissionDoctor(site, connect) : null,
  }
}
