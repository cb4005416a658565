import type { HistoryRun, HistoryRunSummary } from '../app-data/history-types'
import type { HistoryRunView, HistorySummaryView } from '#shared/ipc/contract'

/**
 * The history file's runs as the renderer is sent them. The file's format (app-data) and the
 * view (src-shared/ipc/history-schemas.ts) are declared apart; these assignments are the
 * compile-time proof that a stored run still fits the view. Change one, and this is where the
 * conversion goes.
 */

export function historyRunView(run: HistoryRun): HistoryRunView {
  return run
}

export function historySummaryView(summary: HistoryRunSummary): HistorySummaryView {
  return summary
}
