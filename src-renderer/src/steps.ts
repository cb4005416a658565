import type { StageId, WizardStepId } from '#shared/ipc/contract'

export type { WizardStepId } from '#shared/ipc/contract'

/**
 * The wizard's steps, in order. Routes, the step map and the stores all read this list.
 * `stages` are the engine runs each page shows ("Show commands" lists their commands).
 */
export const WIZARD_STEPS = [
  {
    id: 'connect',
    title: 'Connect',
    summary: 'Reach the mirror host over SSH and trust its key.',
    stages: [],
  },
  {
    id: 'check-host',
    title: 'Check the host',
    summary: 'Look at Python, disk space, nginx and sudo on the host before changing anything.',
    stages: ['check'],
  },
  {
    id: 'packages',
    title: 'Choose packages',
    summary: 'Pick the packages to mirror, pinned together with all their dependencies.',
    stages: ['packages'],
  },
  {
    id: 'mirror',
    title: 'Mirror',
    summary: 'Install bandersnatch and sync the chosen packages.',
    stages: ['mirror'],
  },
  {
    id: 'serve',
    title: 'Serve',
    summary: 'Serve the mirror over HTTP with nginx.',
    stages: ['serve'],
  },
  {
    id: 'verify',
    title: 'Verify & repair',
    summary: 'Prove that pip installs from the mirror, and fix what stops it.',
    stages: ['verify', 'repair'],
  },
  {
    id: 'workers',
    title: 'Workers',
    summary: "Point each OpenLambda worker's pip_mirror here.",
    stages: ['workers'],
  },
  {
    id: 'done',
    title: 'Done',
    summary: 'What was set up, and how to keep it up to date.',
    stages: ['check', 'packages', 'mirror', 'serve', 'verify', 'repair', 'workers'],
  },
] as const satisfies readonly {
  id: WizardStepId
  title: string
  summary: string
  stages: readonly StageId[]
}[]

export type WizardStep = (typeof WIZARD_STEPS)[number]

export function findStep(id: WizardStepId): WizardStep {
  const step = WIZARD_STEPS.find((candidate) => candidate.id === id)
  if (!step) throw new Error(`Unknown wizard step: ${id}`)
  return step
}

export function nextStep(id: WizardStepId): WizardStepId | null {
  const index = WIZARD_STEPS.findIndex((step) => step.id === id)
  return WIZARD_STEPS[index + 1]?.id ?? null
}

export function previousStep(id: WizardStepId): WizardStepId | null {
  const index = WIZARD_STEPS.findIndex((step) => step.id === id)
  return index > 0 ? (WIZARD_STEPS[index - 1]?.id ?? null) : null
}
