import { z } from 'zod'
import { sshTargetSchema } from '#shared/site'
import { changeSchema } from './change'
import { fingerprintSchema } from './fingerprint'
import { savedRequestSchema } from './state-request'

export const findingSchema = z.object({
  severity: z.enum(['blocker', 'warning', 'info']),
  title: z.string(),
  evidence: z.string().optional(),
  fix: z.string().optional(),
  host: z.string().optional(),
})

export const plannedStepSchema = z.object({
  id: z.string(),
  title: z.string(),
  changes: z.array(changeSchema),
  notes: z.array(z.string()),
  findings: z.array(findingSchema),
  /** What the step hands on to later steps (its own shape; saved as the plan was made). */
  outputs: z.unknown().optional(),
})

/**
 * One host's plan: the steps in order with their exact changes, and the state they were computed
 * from. Applying it re-reads that state first and refuses when anything differs.
 */
export const hostPlanSchema = z.object({
  /** user@host:port */
  host: z.string(),
  target: sshTargetSchema,
  createdAt: z.string(),
  /** Every step of the job, in order (steps outside from/to are shown as skipped). */
  steps: z.array(z.object({ id: z.string(), title: z.string() })),
  /** The ids of the steps from `from` to `to`: the ones this plan is for. */
  selected: z.array(z.string()),
  /** The planned steps, in order (fewer than `selected` when planning stopped at one). */
  planned: z.array(plannedStepSchema),
  state: z.object({
    mirrorDirectory: z.string(),
    requests: z.array(savedRequestSchema),
    fingerprint: fingerprintSchema,
  }),
  /**
   * Why planning stopped at a step, as a value (what, where, what to do): such a plan cannot be
   * applied. Plans saved before `host`, `hint` and `code` were kept have only the message.
   */
  error: z
    .object({
      step: z.string(),
      message: z.string(),
      host: z.string().optional(),
      hint: z.string().optional(),
      code: z.string().optional(),
    })
    .nullable(),
})

export type PlannedStep = z.infer<typeof plannedStepSchema>
export type HostPlan = z.infer<typeof hostPlanSchema>

export function changeCount(plan: Pick<HostPlan, 'planned'>): number {
  return plan.planned.reduce((n, step) => n + step.changes.length, 0)
}
