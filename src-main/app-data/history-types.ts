import { z } from 'zod'

/** Which face of the app started a run. */
export const runFaceSchema = z.enum(['wizard', 'dashboard', 'cli'])
export type RunFace = z.infer<typeof runFaceSchema>

const streamSchema = z.enum(['stdout', 'stderr', 'command', 'info'])

export const historyStepSchema = z.object({
  id: z.string(),
  title: z.string(),
  mode: z.enum(['plan', 'apply']),
  status: z.enum(['running', 'planned', 'changed', 'ok', 'failed']),
  /** What the step planned: a summary each, and the command line or the file and its diff. */
  changes: z.array(z.object({ summary: z.string(), detail: z.string() })),
  notes: z.array(z.string()),
  message: z.string().nullable(),
})

export const historyLineSchema = z.object({
  at: z.string(),
  step: z.string(),
  stream: streamSchema,
  line: z.string(),
})

export const historyFindingSchema = z.object({
  at: z.string(),
  step: z.string(),
  severity: z.enum(['blocker', 'warning', 'info']),
  title: z.string(),
  evidence: z.string().nullable(),
  fix: z.string().nullable(),
})

export const runStatusSchema = z.enum([
  'running',
  'ok',
  'changed',
  'planned',
  'failed',
  'cancelled',
])
export type RunStatus = z.infer<typeof runStatusSchema>

/**
 * One run as the history keeps it, one file per run: every string already redacted. The file's
 * own format (the renderer's view is src-shared/ipc/history-schemas.ts). A new format gets a new
 * `version` and a step in `migrateHistoryRun`; test/fixtures/app-data/ keeps a file of each.
 */
export const historyRunSchema = z.object({
  version: z.literal(1),
  id: z.string(),
  face: runFaceSchema,
  /** What was run: `apply`, `plan`, `sync-now`, `set-schedule` … */
  action: z.string(),
  /** The saved site's id or name, when known. */
  site: z.string().nullable(),
  /** The SSH target, `user@host:port`. */
  host: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  status: runStatusSchema,
  steps: z.array(historyStepSchema),
  /** Every command that ran, in order (also in the log). */
  commands: z.array(historyLineSchema),
  log: z.array(historyLineSchema),
  findings: z.array(historyFindingSchema),
  error: z.string().nullable(),
  /** Log lines left out beyond the limit. */
  droppedLines: z.number().int(),
})

export type HistoryRun = z.infer<typeof historyRunSchema>

/** Every format ever written, told apart by `version`. */
const anyHistoryRunSchema = z.discriminatedUnion('version', [historyRunSchema])

/**
 * A history file's content, in any format ever written, as the format written now; null when it
 * is none of them. Version 1 is the format written now, so it needs no step yet.
 */
export function migrateHistoryRun(raw: unknown): HistoryRun | null {
  const parsed = anyHistoryRunSchema.safeParse(raw)
  if (!parsed.success) return null
  const run = parsed.data
  switch (run.version) {
    case 1:
      return run
  }
}
export type HistoryStep = z.infer<typeof historyStepSchema>
export type HistoryLine = z.infer<typeof historyLineSchema>

/** A run in a list: what the history view shows before one is opened. */
export const historyRunSummarySchema = historyRunSchema
  .pick({
    id: true,
    face: true,
    action: true,
    site: true,
    host: true,
    startedAt: true,
    endedAt: true,
    status: true,
    error: true,
  })
  .extend({
    steps: z.array(historyStepSchema.pick({ id: true, mode: true, status: true })),
    commandCount: z.number(),
  })
export type HistoryRunSummary = z.infer<typeof historyRunSummarySchema>

export function summarizeRun(run: HistoryRun): HistoryRunSummary {
  return {
    id: run.id,
    face: run.face,
    action: run.action,
    site: run.site,
    host: run.host,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    status: run.status,
    steps: run.steps.map(({ id, mode, status }) => ({ id, mode, status })),
    commandCount: run.commands.length,
    error: run.error,
  }
}
