import { z } from 'zod'
import { stageIdSchema } from '#shared/wizard'

/** Something the engine did on a host for the wizard, kept for "Show commands" and the script. */
export const recordedActionSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('command'),
    stage: stageIdSchema,
    step: z.string(),
    host: z.string(),
    argv: z.array(z.string()),
    sudo: z.boolean(),
    readOnly: z.boolean(),
    at: z.string(),
  }),
  z.object({
    kind: z.literal('file-write'),
    stage: stageIdSchema,
    step: z.string(),
    host: z.string(),
    path: z.string(),
    backupPath: z.string().nullable(),
    at: z.string(),
  }),
])

export type RecordedAction = z.output<typeof recordedActionSchema>

/** Kept on disk at most per site; older ones drop off the front. */
export const MAX_RECORDED_ACTIONS = 5_000
