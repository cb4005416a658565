import { MIRROR_STEPS } from '../engine/steps/mirror-steps'
import { permissionsLeastStep } from '../engine/steps/permissions'
import type { Step } from '../engine/steps/step'
import type { StageId } from '#shared/ipc/contract'

/** Which engine steps one stage runs (runSteps' `from` and `to` pick the slice). */
export interface StageSteps {
  steps: readonly Step[]
  from: string
  to: string
}

const mirrorSlice = (from: string, to = from): StageSteps => ({ steps: MIRROR_STEPS, from, to })

/** The stages that run on the mirror host (the workers run as a fleet: jobs/workers-job.ts). */
export type HostStageId = Exclude<StageId, 'workers'>

export const STAGE_STEPS: Record<HostStageId, StageSteps> = {
  check: mirrorSlice('preflight'),
  // The resolver (uv) comes with the tools: they are installed before the closure is shown.
  packages: mirrorSlice('tools'),
  // The preflight again: now that the packages are known it checks the upstream and the disk.
  mirror: mirrorSlice('preflight', 'sync'),
  serve: mirrorSlice('nginx'),
  verify: mirrorSlice('verify'),
  repair: { steps: [permissionsLeastStep], from: 'permissions', to: 'permissions' },
}

export { STAGE_TITLES } from '#shared/ipc/session-schemas'
