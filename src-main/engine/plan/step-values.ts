import type { RunSummary } from '../run'
import type { Step } from '../steps/step'
import type { HostPlan } from './host-plan'

/**
 * What a step's plan handed on, read from a plan after the fact (the fleet's status line, the
 * app's pages): typed by the step, as `ctx.output(step)` is inside a plan.
 */
export function outputOf<O>(
  plan: Pick<HostPlan, 'planned'> | undefined,
  step: Pick<Step<O, unknown>, 'id' | 'plan'>,
): O | undefined {
  return plan?.planned.find((planned) => planned.id === step.id)?.outputs as O | undefined
}

/** What a step's verification proved in a run (also when it failed with a FailedProof). */
export function proofOf<P>(
  summary: Pick<RunSummary, 'proofs'> | undefined,
  step: Pick<Step<unknown, P>, 'id' | 'verify'>,
): P | undefined {
  return summary?.proofs[step.id] as P | undefined
}
