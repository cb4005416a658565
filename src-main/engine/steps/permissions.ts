import { EngineError } from '../errors'
import { diagnoseMirror, probeTargets } from '../permissions/diagnose'
import { confirmMirrorAnswers, executeRepairPlan, planRepair } from '../permissions/repair'
import type { RepairMode, RepairPlan } from '../permissions/repair-plan'
import type { Step } from './step'

/**
 * Lets nginx read the mirror: plan = the repair plan (what changes on which paths, how many
 * entries), apply = that repair as root, verify = the simple index and a package file answer
 * 200 from the host. `seed` is the original procedure's blunt fix, only when chosen.
 */
export function permissionsStep(mode: RepairMode = 'least'): Step<RepairPlan> {
  return {
    id: 'permissions',
    title: 'Let nginx read the mirror',
    async check(ctx) {
      const diagnosis = await diagnoseMirror(ctx.host, ctx.site)
      const blockers = diagnosis.findings.filter((finding) => finding.severity === 'blocker')
      return {
        done: diagnosis.healthy,
        summary: diagnosis.healthy
          ? `${diagnosis.nginx.user?.name ?? 'nginx'} can read the mirror; ${diagnosis.baseUrl}simple/ answers 200`
          : blockers.map((finding) => finding.title).join('; ') || 'the mirror does not answer 200',
      }
    },
    async plan(ctx) {
      const plan = await planRepair(ctx.host, ctx.site, { mode })
      for (const finding of plan.diagnosis.findings) ctx.finding(finding)
      return plan
    },
    async apply(ctx, plan) {
      ctx.log(`repair (${plan.mode}): ${plan.entries} entries to change`)
      await executeRepairPlan(ctx.host, plan)
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
