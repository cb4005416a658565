import { FleetHistory } from '../app-data/fleet-history'
import type { RunRecording } from '../app-data/history-store'
import type { RecordedAction } from '../app-data/recorded-action'
import { EngineError } from '../engine/errors'
import type { Connect } from '../engine/fleet'
import type { HostPlan } from '../engine/plan/host-plan'
import type { Site } from '#shared/site'
import type { RemoteHost } from '../engine/ssh/remote-host'
import type { RunMode, SessionEventInput, StageId, StageRecord } from '#shared/ipc/contract'
import { runStage } from './stage-runner'
import { runWorkersStage } from './workers-runner'

/** A wizard stage ready to run: the lock it holds, and the run itself. */
export interface PreparedStageJob {
  /** One run at a time per lock: the mirror host's label, or all the worker hosts. */
  lock: string
  execute(runId: string, signal: AbortSignal): Promise<StageRecord>
}

/** What a stage's run reaches in the session. */
export interface StageJobDeps {
  /** Keeps a command or file write for "Show commands" and the exported script. */
  record(action: RecordedAction): void
  /** Starts the activity history's record of the run on one host. */
  recorder(host: string): RunRecording
  openWorker: Connect
  send(event: SessionEventInput): void
  /** The open connection to the mirror host; throws when there is none. */
  requireHost(): RemoteHost
  /** The plans each stage's page shows: what its apply executes. */
  shownPlans: Map<string, HostPlan | ReadonlyMap<string, HostPlan>>
}

function shownPlanOf<T>(plans: StageJobDeps['shownPlans'], key: string) {
  return {
    get: () => plans.get(key) as T | undefined,
    set: (plan: T) => void plans.set(key, plan as HostPlan | ReadonlyMap<string, HostPlan>),
    clear: () => void plans.delete(key),
  }
}

/**
 * Prepares one wizard stage: the workers as a fleet, every other stage on the mirror host. Throws
 * (for a refusal) when something the stage needs is missing.
 */
export function prepareStageJob(
  deps: StageJobDeps,
  site: Site,
  stage: StageId,
  mode: RunMode,
): PreparedStageJob {
  if (stage === 'workers') {
    if (site.workers.length === 0)
      throw new EngineError('No worker hosts have been added yet', {
        hint: 'add each OpenLambda worker host with "Add worker", then try again',
      })
    return {
      lock: 'the worker hosts',
      execute: async (runId, signal) => {
        const history = new FleetHistory(deps.recorder)
        const result = await runWorkersStage({
          runId,
          mode,
          site,
          signal,
          connect: deps.openWorker,
          emit: (event) => deps.send({ kind: 'fleet-event', runId, event }),
          record: deps.record,
          history: (event) => history.event(event),
          shown: shownPlanOf<ReadonlyMap<string, HostPlan>>(deps.shownPlans, stage),
        })
        await history.finish().catch((error: unknown) => console.error(error))
        return result
      },
    }
  }
  const host = deps.requireHost()
  if (stage === 'packages' && site.mirror.requirements?.length === 0)
    throw new EngineError('There are no packages to resolve yet', {
      hint: 'type one package per line (for example "requests"), or load a requirements.in file',
    })
  return {
    lock: host.label,
    execute: async (runId, signal) => {
      const history = deps.recorder(host.label)
      const result = await runStage({
        runId,
        stage,
        mode,
        host,
        site,
        signal,
        emit: (event) => deps.send({ kind: 'run-event', runId, stage, event }),
        record: deps.record,
        history: (event) => history.emit(event),
        shown: shownPlanOf<HostPlan>(deps.shownPlans, stage),
      })
      const failed = result.status === 'failed' || result.status === 'cancelled'
      await history
        .finish(
          failed
            ? {
                status: result.status === 'failed' ? 'failed' : 'cancelled',
                error: result.error?.message ?? null,
              }
            : {},
        )
        .catch((error: unknown) => console.error('Could not record the run:', error))
      return result
    },
  }
}
