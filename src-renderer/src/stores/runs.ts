import { defineStore } from 'pinia'
import { ref } from 'vue'
import type {
  ActionPlanView,
  ActiveDashboardRun,
  ActiveRun,
  DashboardActionId,
  DashboardRequestInput,
  DashboardRunRecord,
  ErrorView,
  FleetEventView,
  FleetHostState,
  PlanView,
  RunEventView,
  RunMode,
  RunStartOutcome,
  StageId,
  StageRecord,
} from '#shared/ipc/contract'
import { invoke } from '../api'
import { toErrorView } from '../errors'
import { applyRunEvent, newLiveRun, type LiveRunState } from '../live-run'
import { LogBuffer } from '../log-buffer'

export type { StepState } from '../live-run'

/** Where a job shows: a wizard stage's page, or the open site's dashboard. */
export type JobSlot = StageId | 'dashboard'

/** A job's run as its events arrive; replaced by its record when it finishes. */
export interface LiveRun extends LiveRunState {
  slot: JobSlot
  /** The dashboard action it is (null for a wizard stage). */
  action: DashboardActionId | null
}

/** The workers' run as it goes: each host's line, and each host's plans. */
export interface FleetLive {
  runId: string
  hosts: Record<string, { state: FleetHostState; line: string }>
  plans: { host: string; step: string; plan: PlanView }[]
}

/** Which dashboard panel asked for the plan on show (it is shown there). */
export type PlanOrigin = 'actions' | 'schedule'

export interface PendingAction {
  origin: PlanOrigin
  request: DashboardRequestInput
  plan: ActionPlanView | null
  planning: boolean
}

export type RunResult = { record: StageRecord } | { error: ErrorView }

type JobRecord = StageRecord | DashboardRunRecord

/**
 * Every job the page follows, wizard stages and dashboard actions alike: the plan on show, the
 * run under way (its steps, progress and log), and how the last one ended. A job is started
 * through the one runner in main; its events and its end come back as session events.
 */
export const useRunsStore = defineStore('runs', () => {
  const records = ref<Partial<Record<StageId, StageRecord>>>({})
  const live = ref<Partial<Record<JobSlot, LiveRun>>>({})
  /** Bumped whenever a job's log grows; the log views watch it. */
  const logRevision = ref<Partial<Record<JobSlot, number>>>({})
  const logs = new Map<JobSlot, LogBuffer>()
  const fleet = ref<FleetLive | null>(null)
  const waiters = new Map<string, (record: JobRecord) => void>()
  /** Runs that ended before their start call returned (their events come first). */
  const finishedEarly = new Map<string, JobRecord>()

  /** The saved site whose dashboard jobs are followed, the plan on show there, the last run. */
  const actionSite = ref<string | null>(null)
  const pending = ref<PendingAction | null>(null)
  const lastAction = ref<DashboardRunRecord | null>(null)
  const actionError = ref<ErrorView | null>(null)
  /** The action last asked for: its run's first events may come before the answer. */
  let requested: DashboardActionId = 'sync-now'
  let lastRequest: DashboardRequestInput | null = null
  let planRequests = 0
  const actionListeners = new Set<(record: DashboardRunRecord) => void>()

  function logOf(slot: JobSlot): LogBuffer {
    let buffer = logs.get(slot)
    if (!buffer) {
      buffer = new LogBuffer()
      logs.set(slot, buffer)
    }
    return buffer
  }

  function appendLog(slot: JobSlot, line: Parameters<LogBuffer['append']>[0]): void {
    logOf(slot).append(line)
    logRevision.value[slot] = (logRevision.value[slot] ?? 0) + 1
  }

  function clearLog(slot: JobSlot): void {
    logs.get(slot)?.clear()
    logRevision.value[slot] = (logRevision.value[slot] ?? 0) + 1
  }

  function isRunning(slot: JobSlot): boolean {
    return live.value[slot] !== undefined
  }

  function beginLive(
    runId: string,
    slot: JobSlot,
    mode: RunMode,
    action: DashboardActionId | null = null,
  ): LiveRun {
    live.value[slot] = { ...newLiveRun(runId, mode), slot, action }
    // The reactive copy: what the pages watch.
    return live.value[slot]
  }

  /**
   * Asks main to start a job: why it could not, or its end to wait for. `begin` shows it as
   * running once it has started (unless its events, even its end, came first).
   */
  async function launch<R extends JobRecord>(
    call: () => Promise<RunStartOutcome>,
    begin: (runId: string) => void,
  ): Promise<{ error: ErrorView } | { ended: Promise<R> }> {
    let outcome: RunStartOutcome
    try {
      outcome = await call()
    } catch (failure) {
      return { error: toErrorView(failure) }
    }
    if (outcome.kind === 'refused') return { error: outcome.error }
    const { runId } = outcome
    const early = finishedEarly.get(runId)
    if (early) {
      finishedEarly.delete(runId)
      return { ended: Promise.resolve(early as R) }
    }
    begin(runId)
    return { ended: ended<R>(runId) }
  }

  function ended<R extends JobRecord>(runId: string): Promise<R> {
    return new Promise((resolve) => waiters.set(runId, (record) => resolve(record as R)))
  }

  /** A job ended: whoever started or followed it hears of it. */
  function settle(slot: JobSlot, record: JobRecord): void {
    if (live.value[slot]?.runId === record.runId) delete live.value[slot]
    if (record.error)
      appendLog(slot, {
        stream: 'stderr',
        text: `${record.error.message}${record.error.hint ? `\nWhat to do: ${record.error.hint}` : ''}`,
      })
    const waiter = waiters.get(record.runId)
    if (waiter) {
      waiters.delete(record.runId)
      waiter(record)
    } else finishedEarly.set(record.runId, record)
  }

  /** Stops following a job's run (a sync goes on on the host). */
  async function stop(slot: JobSlot): Promise<void> {
    const run = live.value[slot]
    if (run) await invoke('run:stop', { runId: run.runId }).catch(() => undefined)
  }

  // The wizard's stages.

  /** Starts a stage and resolves with its record when it ends (or with why it could not start). */
  async function start(stage: StageId, mode: RunMode): Promise<RunResult> {
    const launched = await launch<StageRecord>(
      () => invoke('run:start', { stage, mode }),
      (runId) => {
        if (live.value[stage]?.runId !== runId) beginLive(runId, stage, mode)
      },
    )
    return 'error' in launched ? launched : { record: await launched.ended }
  }

  /** Waits for a stage's run that is already under way (after the page was reloaded). */
  function follow(run: ActiveRun): Promise<StageRecord> {
    if (!live.value[run.stage]) beginLive(run.runId, run.stage, run.mode)
    return ended(run.runId)
  }

  function onRunEvent(runId: string, stage: StageId, event: RunEventView): void {
    const run =
      live.value[stage]?.runId === runId ? live.value[stage] : beginLive(runId, stage, 'apply')
    if (run) applyRunEvent(run, event, (line) => appendLog(stage, line))
  }

  function onFleetEvent(runId: string, event: FleetEventView): void {
    if (!fleet.value || fleet.value.runId !== runId) fleet.value = { runId, hosts: {}, plans: [] }
    const run = fleet.value
    if (event.type === 'fleet-started')
      for (const host of event.hosts) run.hosts[host] = { state: 'queued', line: 'waiting' }
    else if (event.type === 'fleet-host-status')
      run.hosts[event.host] = { state: event.state, line: event.line }
    else if (event.type === 'fleet-host' && event.event.type === 'plan')
      run.plans.push({ host: event.host, step: event.event.step, plan: event.event.plan })
  }

  function onRunFinished(record: StageRecord): void {
    records.value[record.stage] = record
    settle(record.stage, record)
  }

  /** Takes the open setup's runs; another setup's live runs and logs are dropped. */
  function hydrate(
    stages: Partial<Record<StageId, StageRecord>>,
    active: ActiveRun | null,
    sameSetup = true,
  ): void {
    records.value = { ...stages }
    if (!sameSetup) {
      const dashboard = live.value.dashboard
      live.value = dashboard ? { dashboard } : {}
      for (const [slot, buffer] of logs) if (slot !== 'dashboard') buffer.clear()
      logRevision.value = { dashboard: logRevision.value.dashboard ?? 0 }
    }
    if (active) beginLive(active.runId, active.stage, active.mode)
  }

  // The dashboard's actions.

  /** Follows the actions of this saved site from now on; another site's are forgotten. */
  function followSite(siteId: string): void {
    if (actionSite.value === siteId) return
    actionSite.value = siteId
    pending.value = null
    lastAction.value = null
    actionError.value = null
    delete live.value.dashboard
    clearLog('dashboard')
  }

  /** Shows what the action would do; nothing changes on the host. */
  async function planAction(
    siteId: string | null,
    request: DashboardRequestInput,
    origin: PlanOrigin = 'actions',
  ): Promise<void> {
    if (!siteId) return
    followSite(siteId)
    actionError.value = null
    const asked = ++planRequests
    pending.value = { origin, request, plan: null, planning: true }
    try {
      const planned = await invoke('dashboard:plan', { siteId, request })
      // A later request (or a cancel) replaces this one.
      if (asked === planRequests && pending.value)
        pending.value = { ...pending.value, plan: planned, planning: false }
    } catch (failure) {
      if (asked === planRequests) pending.value = null
      actionError.value = toErrorView(failure)
    }
  }

  function cancelPlan(): void {
    planRequests++
    pending.value = null
  }

  /** Plans the last applied action again (its plan was stale: the host changed). */
  async function replanAction(): Promise<void> {
    if (lastRequest && actionSite.value) await planAction(actionSite.value, lastRequest)
  }

  /** Applies the plan on show; its events follow. False when it could not start. */
  async function applyAction(
    siteId: string | null,
    request: DashboardRequestInput,
  ): Promise<boolean> {
    if (!siteId) return false
    followSite(siteId)
    actionError.value = null
    requested = request.action
    lastRequest = request
    lastAction.value = null
    const launched = await launch<DashboardRunRecord>(
      () => invoke('dashboard:apply', { siteId, request }),
      (runId) => {
        if (live.value.dashboard?.runId !== runId) beginAction(runId, request.action)
      },
    )
    if ('error' in launched) {
      actionError.value = launched.error
      return false
    }
    pending.value = null
    return true
  }

  function beginAction(runId: string, action: DashboardActionId): void {
    clearLog('dashboard')
    beginLive(runId, 'dashboard', 'apply', action)
  }

  function onActionEvent(runId: string, forSite: string, event: RunEventView): void {
    if (forSite !== actionSite.value) return
    if (live.value.dashboard?.runId !== runId) beginAction(runId, requested)
    const run = live.value.dashboard
    if (run) applyRunEvent(run, event, (line) => appendLog('dashboard', line))
  }

  function onActionFinished(record: DashboardRunRecord): void {
    if (record.siteId !== actionSite.value) return
    lastAction.value = record
    settle('dashboard', record)
    for (const listener of actionListeners) listener(record)
  }

  /** After a reload: the action still under way on the followed site is followed again. */
  function hydrateAction(active: ActiveDashboardRun | null): void {
    if (
      active &&
      active.siteId === actionSite.value &&
      live.value.dashboard?.runId !== active.runId
    )
      beginAction(active.runId, active.action)
  }

  /** Called when an action's run ends (the dashboard reads the site's state again). */
  function onActionDone(listener: (record: DashboardRunRecord) => void): () => void {
    actionListeners.add(listener)
    return () => actionListeners.delete(listener)
  }

  return {
    records,
    live,
    logRevision,
    fleet,
    actionSite,
    pending,
    lastAction,
    actionError,
    logOf,
    isRunning,
    start,
    follow,
    stop,
    onRunEvent,
    onFleetEvent,
    onRunFinished,
    hydrate,
    followSite,
    planAction,
    cancelPlan,
    replanAction,
    applyAction,
    onActionEvent,
    onActionFinished,
    hydrateAction,
    onActionDone,
  }
})
