import { EngineError, errorValue } from '../../engine/errors'
import { applyHostPlan } from '../../engine/plan/apply-host'
import type { HostPlan } from '../../engine/plan/host-plan'
import { planSteps } from '../../engine/plan/plan-host'
import { runSteps, type RunSummary } from '../../engine/run'
import type { HostJob, JobResult, JobRun } from './job'

/** The refusal of an apply that would change what no page showed. */
export function noPlanError(host?: string): EngineError {
  return new EngineError('This page shows no plan for these changes: nothing was run', {
    ...(host ? { host } : {}),
    hint: 'plan first, read what will change, then apply that plan',
    code: 'no-plan',
  })
}

/** A plan whose only "changes" follow what already runs (a sync) changes nothing. */
const changesNothing = (plan: HostPlan): boolean =>
  plan.planned.every((step) => step.changes.every((change) => change.kind === 'wait'))

function resultOf(run: JobRun, summary: RunSummary): JobResult {
  return {
    runId: run.runId,
    mode: run.mode,
    status: summary.status,
    error: summary.failure ?? null,
    failedStep: summary.failedStep ?? null,
    summary,
    fleet: null,
    historyId: null,
  }
}

/**
 * A job on one host. A plan run makes the plan the page shows (and keeps it on show); an apply
 * run executes the approved plan exactly, or, for a job that allows it, a fresh one that changes
 * nothing. A host that changed since its plan is refused by the engine (code `stale-plan`).
 * Never throws: a failure is the result's error, with the step it happened in.
 */
export async function runHostJob(
  job: HostJob,
  run: JobRun,
  approved: HostPlan | undefined,
  currentStep: () => string,
): Promise<JobResult> {
  const { host, site, signal } = run
  const range = { from: job.from, to: job.to }
  let summary: RunSummary | null = null
  try {
    await job.before?.(run)
    if (run.mode === 'plan') {
      summary = await runSteps(job.steps, host, site, { mode: 'plan', ...range, signal }, run.emit)
      const { plans, key, request } = job.shown
      if (summary.plan && !summary.plan.error) plans.keep(key, request, summary.plan)
      else plans.drop(key)
    } else {
      let plan = approved
      if (!plan) {
        plan = await planSteps(job.steps, host, site, { ...range, signal }, (event) => {
          if (event.type === 'finding') run.emit(event)
        })
        if (!plan.error && !changesNothing(plan)) throw noPlanError(host.label)
      }
      summary = await applyHostPlan(
        plan,
        job.steps,
        host,
        site,
        { signal, runId: run.runId },
        run.emit,
      )
    }
    const result = resultOf(run, summary)
    await job.after?.(run, result)
    return result
  } catch (error) {
    return {
      ...(summary
        ? resultOf(run, summary)
        : { runId: run.runId, mode: run.mode, summary: null, fleet: null, historyId: null }),
      status: signal.aborted ? 'cancelled' : 'failed',
      error: errorValue(error),
      failedStep: currentStep(),
    }
  }
}
