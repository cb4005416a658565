import { z } from 'zod'

/**
 * The activity history as the renderer sees it: every string already redacted on disk. Its own
 * schemas, not the history file's (src-main/app-data/history-types.ts): the file keeps its format
 * and version while this view changes with the pages; src-main/app/history-views.ts proves at
 * compile time that a stored run still converts to this view.
 */

const historyStepViewSchema = z.object({
  id: z.string(),
  title: z.string(),
  mode: z.enum(['plan', 'apply']),
  status: z.enum(['running', 'planned', 'changed', 'ok', 'failed']),
  changes: z.array(z.object({ summary: z.string(), detail: z.string() })),
  notes: z.array(z.string()),
  message: z.string().nullable(),
})

const historyLineViewSchema = z.object({
  at: z.string(),
  step: z.string(),
  stream: z.enum(['stdout', 'stderr', 'command', 'info']),
  line: z.string(),
})

const historyFindingViewSchema = z.object({
  at: z.string(),
  step: z.string(),
  severity: z.enum(['blocker', 'warning', 'info']),
  title: z.string(),
  evidence: z.string().nullable(),
  fix: z.string().nullable(),
})

const historyRunStatusSchema = z.enum([
  'running',
  'ok',
  'changed',
  'planned',
  'failed',
  'cancelled',
])

export const historyRunSchema = z.object({
  version: z.literal(1),
  id: z.string(),
  face: z.enum(['wizard', 'dashboard', 'cli']),
  action: z.string(),
  site: z.string().nullable(),
  host: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  status: historyRunStatusSchema,
  steps: z.array(historyStepViewSchema),
  commands: z.array(historyLineViewSchema),
  log: z.array(historyLineViewSchema),
  findings: z.array(historyFindingViewSchema),
  error: z.string().nullable(),
  droppedLines: z.number().int(),
})

export const historySummarySchema = historyRunSchema
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
    steps: z.array(historyStepViewSchema.pick({ id: true, mode: true, status: true })),
    commandCount: z.number(),
  })

export const historyQuerySchema = z.strictObject({
  /** Found anywhere in a run: action, host, steps, commands, log (case-insensitive). */
  text: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(1000).optional(),
})

export const historyExportSchema = z.strictObject({
  ids: z.array(z.string().max(100)).min(1).max(1000),
  format: z.enum(['text', 'json']),
})

export type HistorySummaryView = z.output<typeof historySummarySchema>
export type HistoryRunView = z.output<typeof historyRunSchema>
export type HistoryQueryInput = z.input<typeof historyQuerySchema>
