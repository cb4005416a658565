import type { ShownPlan } from './job'

/**
 * The plans pages show now, by page (a wizard stage, a saved site's dashboard): what their apply
 * executes and nothing else. Kept in memory only: after a restart a page plans again before it
 * changes anything. A plan is approved for the request it was made for, and taken once.
 */
export class ShownPlans {
  private readonly plans = new Map<string, { request: string; plan: ShownPlan }>()

  keep(key: string, request: string, plan: ShownPlan): void {
    this.plans.set(key, { request, plan })
  }

  drop(key: string): void {
    this.plans.delete(key)
  }

  /** The plan on show for exactly this request, which is no longer on show afterwards. */
  take(key: string, request: string): ShownPlan | undefined {
    const shown = this.plans.get(key)
    if (shown?.request !== request) return undefined
    this.plans.delete(key)
    return shown.plan
  }
}
