import type { RunFace } from '../../app-data/history-types'
import type { ErrorValue } from '../../engine/errors'
import type { Connect, FleetEvent, FleetSummary } from '../../engine/fleet'
import type { HostPlan } from '../../engine/plan/host-plan'
import type { RunEvent, RunMode, RunStatus, RunSummary } from '../../engine/run'
import type { Site } from '#shared/site'
import type { RemoteHost } from '../../engine/ssh/remote-host'
import type { Step } from '../../engine/steps/step'
import type { DashboardActionId, StageId } from '#shared/ipc/contract'
import type { ShownPlans } from './shown-plans'

/** What a job is, for the page (reattaching after a reload) and for the refusal when its lock is taken. */
export type JobInfo =
  | { kind: 'wizard'; wizardKey: string; stage: StageId; mode: RunMode; startedAt: string }
  | {
      kind: 'dashboard'
      siteId: string
      action: DashboardActionId
      title: string
      mode: RunMode
      startedAt: string
    }

/** One run of a job as its own work sees it (the reads a page adds around the plan). */
export interface JobRun {
  runId: string
  mode: RunMode
  host: RemoteHost
  site: Site
  signal: AbortSignal
  /** Sends an event of the run, to the page and the history. */
  emit(event: RunEvent): void
  /** Names the step the host's next commands belong to ("Show commands"). */
  at(step: string): void
}

interface JobBase {
  info: JobInfo
  site: Site
  /** The activity history's record of the job. */
  history: { face: RunFace; action: string; site: string | null }
  /**
   * The plans on show, and this job's place among them (`key`) and what its plan is for
   * (`request`): a plan run keeps its plan there, an apply executes exactly that plan.
   */
  shown: { plans: ShownPlans; key: string; request: string }
  /**
   * An apply with no plan on show is refused at once (`refuse`), or planned in the run and
   * allowed only if that plan changes nothing (`if-unchanged`: verifying, following a sync).
   */
  unplanned: 'refuse' | 'if-unchanged'
  /** Records the host's commands and file writes as done in the step `stepNow()` names. */
  watch?(host: RemoteHost, stepNow: () => string): () => void
}

/** Steps on one host, from `from` to `to`. */
export interface HostJob extends JobBase {
  kind: 'host'
  host: RemoteHost
  steps: readonly Step[]
  from?: string | undefined
  to?: string | undefined
  /** Checked before an apply starts (remove the mirror: the typed host name). */
  precondition?: (() => void) | undefined
  /** Every event of the run, for the page. */
  stream(event: RunEvent): void
  /** The job's own work before the plan and after the run, in the same run and lock. */
  before?(run: JobRun): Promise<void>
  after?(run: JobRun, result: JobResult): Promise<void>
}

/** The site's worker hosts, several at once, each over its own connection. */
export interface WorkersJob extends JobBase {
  kind: 'workers'
  connect: Connect
  stream(event: FleetEvent): void
}

export type Job = HostJob | WorkersJob

/** How a job's run ended: what the page and the history are told. */
export interface JobResult {
  runId: string
  mode: RunMode
  status: RunStatus
  /** Why it failed or was cancelled, as the engine said it. */
  error: ErrorValue | null
  failedStep: string | null
  /** A host job's summary (its steps, the plan it made or executed, the proofs). */
  summary: RunSummary | null
  /** A workers job's summary, per host. */
  fleet: FleetSummary | null
  /** The host job's record in the activity history. */
  historyId: string | null
}

/** The plan a job keeps on show: one host's, or each worker's by its label. */
export type ShownPlan = HostPlan | ReadonlyMap<string, HostPlan>

/** The lock a job holds while it runs: one run at a time per host, and for all the workers. */
export function jobLock(job: Job): string {
  return job.kind === 'host' ? job.host.label : 'the worker hosts'
}
