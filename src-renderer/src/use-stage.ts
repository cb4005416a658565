import { computed, ref, type ComputedRef, type Ref } from 'vue'
import type { ErrorView, PlanView, RunMode, StageId, StageRecord } from '#shared/ipc/contract'
import { useRunsStore, type LiveRun } from './stores/runs'

export interface Stage {
  /** The stage's last finished run, as main recorded it. */
  record: ComputedRef<StageRecord | undefined>
  /** Its run under way, as its events arrive. */
  live: ComputedRef<LiveRun | undefined>
  running: ComputedRef<boolean>
  /** Why the last start was refused (nothing ran). */
  error: Ref<ErrorView | null>
  /** Why the last run failed, while none runs. */
  failure: ComputedRef<ErrorView | null>
  /** What the page shows in its error panel: a refusal first, else the last run's failure. */
  shownError: ComputedRef<ErrorView | null>
  /** The plans on show: the live run's as they come, else the last run's. */
  plans: ComputedRef<{ step: string; plan: PlanView }[]>
  /** Starts the stage; resolves with its record once it ended, or null when it was refused. */
  start(mode: RunMode): Promise<StageRecord | null>
  plan(): Promise<StageRecord | null>
  apply(): Promise<StageRecord | null>
  /** Stops following the run (a sync goes on on the host). */
  stop(): Promise<void>
}

/**
 * A wizard page's stage: plan it, show the plan, apply exactly that plan, show what failed and
 * offer to plan again. The job itself runs in main (see stores/runs.ts).
 */
export function useStage(stage: StageId): Stage {
  const runs = useRunsStore()
  const error = ref<ErrorView | null>(null)
  const record = computed(() => runs.records[stage])
  const live = computed(() => runs.live[stage])
  const running = computed(() => runs.isRunning(stage))
  const failure = computed(() => (running.value ? null : (record.value?.error ?? null)))

  async function start(mode: RunMode): Promise<StageRecord | null> {
    error.value = null
    const result = await runs.start(stage, mode)
    if ('error' in result) {
      error.value = result.error
      return null
    }
    return result.record
  }

  return {
    record,
    live,
    running,
    error,
    failure,
    shownError: computed(() => error.value ?? failure.value),
    plans: computed(() => live.value?.plans ?? record.value?.plans ?? []),
    start,
    plan: () => start('plan'),
    apply: () => start('apply'),
    stop: () => runs.stop(stage),
  }
}
