import { FLEET_STATUS_NOTES } from '../fleet'
import type { StepContext } from '../steps/step'

/**
 * Adds what a worker's status line should say besides its changes (which OpenLambda it is, its
 * sandboxes' Python, whether installs from the mirror are proven): the fleet appends the job's
 * FLEET_STATUS_NOTES to the host's final line.
 */
export function addStatusNote(ctx: StepContext, note: string): void {
  const notes = (ctx.shared.get(FLEET_STATUS_NOTES) as string[] | undefined) ?? []
  if (!notes.includes(note)) notes.push(note)
  ctx.shared.set(FLEET_STATUS_NOTES, notes)
}
