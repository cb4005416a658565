import type { HistorySummaryView } from '#shared/ipc/contract'
import { ACTIONS } from './dashboard-actions'
import { STAGE_TITLES } from '#shared/ipc/session-schemas'

type Status = HistorySummaryView['status']

export const STATUS_TAG: Record<Status, 'success' | 'error' | 'warning' | 'info' | 'default'> = {
  ok: 'success',
  changed: 'success',
  planned: 'info',
  running: 'default',
  failed: 'error',
  cancelled: 'warning',
}

export const STATUS_WORD: Record<Status, string> = {
  ok: 'nothing to change',
  changed: 'changed',
  planned: 'planned',
  running: 'interrupted',
  failed: 'failed',
  cancelled: 'stopped',
}

/** "Sync now (plan)", "Mirror (apply)": what a recorded run was, for people. */
export function describeRunAction(run: Pick<HistorySummaryView, 'action' | 'steps'>): string {
  const name =
    (ACTIONS as Record<string, { title: string } | undefined>)[run.action]?.title ??
    (STAGE_TITLES as Record<string, string | undefined>)[run.action] ??
    run.action
  const mode = run.steps[0]?.mode
  return mode ? `${name} (${mode})` : name
}
