import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type {
  ActionPlanView,
  ActiveDashboardRun,
  DashboardActionId,
  DashboardRequestInput,
  DashboardRunRecord,
  DashboardSiteView,
  ErrorView,
  RunEventView,
  SiteHealthView,
} from '#shared/ipc/contract'
import { invoke } from '../api'
import { toErrorView } from '../errors'
import { applyRunEvent, newLiveRun, type LiveRunState } from '../live-run'
import { LogBuffer } from '../log-buffer'

/** Which panel asked for the plan on show (it is shown there). */
export type PlanOrigin = 'actions' | 'schedule'

export interface PendingAction {
  origin: PlanOrigin
  request: DashboardRequestInput
  plan: ActionPlanView | null
  planning: boolean
}

export interface DashboardLiveRun extends LiveRunState {
  action: DashboardActionId
}

/** One saved site's dashboard: its health, the action being planned, and the one running. */
export const useDashboardStore = defineStore('dashboard', () => {
  const siteId = ref<string | null>(null)
  const site = shallowRef<DashboardSiteView | null>(null)
  const health = shallowRef<SiteHealthView | null>(null)
  const checking = ref(false)
  const error = ref<ErrorView | null>(null)
  const pending = ref<PendingAction | null>(null)
  const live = ref<DashboardLiveRun | null>(null)
  const lastRun = ref<DashboardRunRecord | null>(null)
  const log = new LogBuffer()
  const logRevision = ref(0)
  /** The action last asked for: its run's first events may come before the answer. */
  let requested: DashboardActionId = 'sync-now'
  let planRequests = 0
  /** Called when a run ends (the schedule panel reads its status again). */
  const finishedListeners = new Set<(record: DashboardRunRecord) => void>()

  function appendLog(line: Parameters<LogBuffer['append']>[0]): void {
    log.append(line)
    logRevision.value++
  }

  /** Opens the site's dashboard (the site must be the session's open one). */
  async function load(id: string): Promise<void> {
    if (siteId.value !== id) {
      siteId.value = id
      site.value = null
      health.value = null
      pending.value = null
      lastRun.value = null
      if (live.value) live.value = null
      log.clear()
      logRevision.value++
    }
    try {
      site.value = await invoke('dashboard:site', { siteId: id })
      error.value = null
    } catch (failure) {
      error.value = toErrorView(failure)
    }
  }

  async function refresh(): Promise<void> {
    const id = siteId.value
    if (!id) return
    checking.value = true
    try {
      const read = await invoke('dashboard:health', { siteId: id })
      if (siteId.value === id) health.value = read
    } catch (failure) {
      error.value = toErrorView(failure)
    } finally {
      checking.value = false
    }
  }

  /** Shows what the action would do; nothing changes on the host. */
  async function plan(
    request: DashboardRequestInput,
    origin: PlanOrigin = 'actions',
  ): Promise<void> {
    const id = siteId.value
    if (!id) return
    error.value = null
    const asked = ++planRequests
    pending.value = { origin, request, plan: null, planning: true }
    try {
      const planned = await invoke('dashboard:plan', { siteId: id, request })
      // A later request (or a cancel) replaces this one.
      if (asked === planRequests && pending.value)
        pending.value = { ...pending.value, plan: planned, planning: false }
    } catch (failure) {
      if (asked === planRequests) pending.value = null
      error.value = toErrorView(failure)
    }
  }

  function cancel(): void {
    planRequests++
    pending.value = null
  }

  /** The request last applied: planned again when the host changed since its plan. */
  let lastRequest: DashboardRequestInput | null = null

  /** Plans the last applied action again (its plan was stale: the host changed). */
  async function replan(): Promise<void> {
    if (lastRequest) await plan(lastRequest)
  }

  /** Applies the action on show (or any request); its events follow. */
  async function apply(request: DashboardRequestInput): Promise<boolean> {
    const id = siteId.value
    if (!id) return false
    error.value = null
    requested = request.action
    lastRequest = request
    lastRun.value = null
    try {
      const outcome = await invoke('dashboard:apply', { siteId: id, request })
      if (outcome.kind === 'refused') {
        error.value = outcome.error
        return false
      }
      pending.value = null
      // Its events (even its end) may have come before this answer.
      const known = [lastRunId(), live.value?.runId]
      if (!known.includes(outcome.runId)) begin({ runId: outcome.runId, action: request.action })
      return true
    } catch (failure) {
      error.value = toErrorView(failure)
      return false
    }
  }

  function lastRunId(): string | null {
    return lastRun.value?.runId ?? null
  }

  function begin(run: { runId: string; action: DashboardActionId }): void {
    log.clear()
    live.value = { ...newLiveRun(run.runId, 'apply'), action: run.action }
    logRevision.value++
  }

  async function stop(): Promise<void> {
    const run = live.value
    if (run) await invoke('run:stop', { runId: run.runId }).catch(() => undefined)
  }

  function onRunEvent(runId: string, forSite: string, event: RunEventView): void {
    if (forSite !== siteId.value) return
    if (live.value?.runId !== runId) begin({ runId, action: requested })
    const run = live.value
    if (run) applyRunEvent(run, event, appendLog)
  }

  function onRunFinished(record: DashboardRunRecord): void {
    if (record.siteId !== siteId.value) return
    const current = live.value
    if (!current || current.runId === record.runId) live.value = null
    lastRun.value = record
    if (record.error)
      appendLog({
        stream: 'stderr',
        text: `${record.error.message}${record.error.hint ? `\nWhat to do: ${record.error.hint}` : ''}`,
      })
    for (const listener of finishedListeners) listener(record)
    void refresh()
  }

  /** After a reload: the action still under way on the open site is followed again. */
  function hydrateRun(active: ActiveDashboardRun | null): void {
    if (active && active.siteId === siteId.value && live.value?.runId !== active.runId)
      begin(active)
  }

  /** The live log (kept outside Vue's reactivity: see log-buffer.ts). */
  function logBuffer(): LogBuffer {
    return log
  }

  function onFinished(listener: (record: DashboardRunRecord) => void): () => void {
    finishedListeners.add(listener)
    return () => finishedListeners.delete(listener)
  }

  return {
    siteId,
    site,
    health,
    checking,
    error,
    pending,
    live,
    lastRun,
    logBuffer,
    logRevision,
    load,
    refresh,
    plan,
    cancel,
    apply,
    replan,
    stop,
    onRunEvent,
    onRunFinished,
    hydrateRun,
    onFinished,
  }
})
