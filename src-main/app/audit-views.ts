import type { AuditReport } from '../engine/audit/audit-report'
import type { PruneTargets } from '../engine/prune/prune-targets'
import type { UpdatePlan } from '../engine/update/update-plan'
import type { AuditReportView, PruneView, UpdatePlanView } from '#shared/ipc/contract'

/*
 * The audit, the update plan and the prune as the renderer is sent them. The plain returns
 * prove at compile time that the renderer-safe schemas in src-shared/ipc/audit-schemas.ts still fit.
 */

export function auditReportView(report: AuditReport): AuditReportView {
  return report
}

/** The pin diff and its advisories; the file texts stay in main (the plan shows them as diffs). */
export function updatePlanView(plan: UpdatePlan): UpdatePlanView {
  const { choice, changes, unchanged, retained, notes, digest } = plan
  return { choice, changes, unchanged, retained, notes, digest }
}

export function pruneView(targets: PruneTargets): PruneView {
  const { pins, files, pages, refused, bytes, digest } = targets
  return { pins, files, pages, refused, bytes, digest }
}
