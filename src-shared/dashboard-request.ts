import { z } from 'zod'
import { scheduleSchema } from './schedule'
import { upgradeChoiceSchema } from './upgrade-choice'

/** The digest of the plan the operator was shown (update, prune): apply refuses anything else. */
const planDigest = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'must be a plan digest')
  .nullable()
  .default(null)

/**
 * What the dashboard asks for, as one validated shape (for the IPC boundary). Kept apart from
 * dashboard-action.ts, and free of Node imports, so the renderer-side IPC contract can use it.
 * Repairing permissions is the permissions module's own (src-main/engine/permissions).
 */
export const dashboardActionRequestSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('sync-now') }),
  z.strictObject({
    action: z.literal('add-packages'),
    requirements: z.array(z.string().max(500)).min(1).max(5000),
  }),
  z.strictObject({ action: z.literal('restart-nginx') }),
  z.strictObject({ action: z.literal('update-bandersnatch') }),
  z.strictObject({
    action: z.literal('remove-mirror'),
    /** The host name as the operator typed it; needed to apply, not to plan. */
    confirmHost: z.string().max(253).nullable().default(null),
  }),
  z.strictObject({ action: z.literal('set-schedule'), schedule: scheduleSchema }),
  z.strictObject({ action: z.literal('remove-schedule') }),
  z.strictObject({
    action: z.literal('update'),
    choice: upgradeChoiceSchema,
    expectDigest: planDigest,
  }),
  z.strictObject({ action: z.literal('prune'), expectDigest: planDigest }),
])

export type DashboardActionRequest = z.input<typeof dashboardActionRequestSchema>
