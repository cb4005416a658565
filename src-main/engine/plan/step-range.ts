import { EngineError } from '../errors'
import type { Step } from '../steps/step'

export interface StepRange {
  /** Start at this step (earlier steps are skipped, not undone). */
  from?: string | undefined
  /** Stop after this step. */
  to?: string | undefined
}

function indexOf(steps: readonly Step[], id: string): number {
  const index = steps.findIndex((step) => step.id === id)
  if (index < 0)
    throw new EngineError(`There is no step "${id}"`, {
      hint: `use one of: ${steps.map((step) => step.id).join(', ')}`,
    })
  return index
}

/** The steps from `from` to `to`, in order. */
export function selectSteps(steps: readonly Step[], range: StepRange): Step[] {
  const start = range.from ? indexOf(steps, range.from) : 0
  const end = range.to ? indexOf(steps, range.to) : steps.length - 1
  return steps.slice(start, end + 1)
}
