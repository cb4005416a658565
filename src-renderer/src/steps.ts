/** The wizard's steps, in order. Routes, the step map and the store all read this list. */
export const WIZARD_STEPS = [
  { id: 'connect', title: 'Connect', summary: 'Reach the mirror host over SSH and trust its key.' },
  {
    id: 'check-host',
    title: 'Check the host',
    summary: 'Look at Python, disk space, nginx and sudo on the host before changing anything.',
  },
  {
    id: 'packages',
    title: 'Choose packages',
    summary: 'Pick the packages to mirror, pinned together with all their dependencies.',
  },
  { id: 'mirror', title: 'Mirror', summary: 'Install bandersnatch and sync the chosen packages.' },
  { id: 'serve', title: 'Serve', summary: 'Serve the mirror over HTTP with nginx.' },
  {
    id: 'verify',
    title: 'Verify & repair',
    summary: 'Prove that pip installs from the mirror, and fix what stops it.',
  },
  { id: 'workers', title: 'Workers', summary: "Point each OpenLambda worker's pip_mirror here." },
  { id: 'done', title: 'Done', summary: 'What was set up, and how to keep it up to date.' },
] as const

export type WizardStep = (typeof WIZARD_STEPS)[number]
export type WizardStepId = WizardStep['id']

export function findStep(id: WizardStepId): WizardStep {
  const step = WIZARD_STEPS.find((candidate) => candidate.id === id)
  if (!step) throw new Error(`Unknown wizard step: ${id}`)
  return step
}
