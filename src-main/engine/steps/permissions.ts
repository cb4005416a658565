import { EngineError } from '../errors'
import { diagnoseMirror, probeTargets } from '../permissions/diagnose'
import { confirmMirrorAnswers, planRepair } from '../permissions/repair'
import type { RepairMode } from '../permissions/repair-plan'
import type { Finding, Step } from './step'

/** What the repair's plan hands on: its mode, how many entries change, what it cannot fix. */
export interface RepairOutputs {
  mode: RepairMode
  entries: number
  unfixable: Finding[]
}

/**
 * Lets nginx read the mirror: plan = the repair plan (what changes on which paths, how many
 * entries), the runner executes exactly those changes as root, verify = the simple index and a
 * package file answer 200 from the host. `seed` is the original procedure's blunt fix, only when
 * chosen.
 */
export function permissionsStep(mode: RepairMode = 'least'): Step<RepairOutputs> {
  return {
    id: 'permissions',
    title: 'Let nginx read the mirror',
    async plan(ctx) {
      const plan = await planRepair(ctx.host, ctx.site, { mode })
      for (const finding of plan.diagnosis.findings) ctx.finding(finding)
      return {
        changes: plan.changes,
        notes: plan.notes,
        outputs: { mode, entries: plan.entries, unfixable: plan.unfixable },
      }
    },
    async verify(ctx) {
      const diagnosis = await diagnoseMirror(ctx.host, ctx.site)
      const targets = probeTargets(diagnosis.baseUrl, diagnosis.tree).filter(
        (target) => target.what === 'the simple index' || target.what === 'a package file',
      )
      if (!targets.some((target) => target.what === 'a package file'))
        ctx.log('the mirror holds no package file yet: only the simple index is checked')
      const http = await confirmMirrorAnswers(ctx.host, ctx.site, targets)
      for (const probe of http) ctx.log(`GET ${probe.url} → ${probe.status}`)
      if (!diagnosis.healthy && http.every((probe) => probe.status === 200)) {
        const blockers = diagnosis.findings.filter((finding) => finding.severity === 'blocker')
        if (blockers.length > 0)
          throw new EngineError(`The mirror answers, but ${blockers[0]?.title}`, {
            host: ctx.host.label,
            hint: blockers[0]?.fix ?? 'run pip-mirror doctor',
          })
      }
    },
  }
}

/** The default: the least change that lets nginx read the mirror. */
export const permissionsLeastStep = permissionsStep('least')
