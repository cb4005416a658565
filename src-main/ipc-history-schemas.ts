import { z } from 'zod'
import { historyRunSchema, historyRunSummarySchema } from './app-data/history-types'

/** The activity history as the renderer sees it: every string already redacted on disk. */

export { historyRunSchema }
export const historySummarySchema = historyRunSummarySchema

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
