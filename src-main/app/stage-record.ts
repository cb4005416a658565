import type { FleetEvent } from '../engine/fleet'
import { proofOf } from '../engine/plan/step-values'
import type { RunEvent, RunMode } from '../engine/run'
import { verifyMirrorStep } from '../engine/steps/verify-mirror'
import type { StageId, StageRecord } from '#shared/ipc/contract'
import { errorViewOf, findingView, fleetHostView, planView, targetMatrixView } from './engine-views'
import type { JobResult } from './jobs/job'

/** A wizard stage's record as its run starts: what the page shows afterwards, filled in as it goes. */
export function newRecord(run: { runId: string; stage: StageId; mode: RunMode }): StageRecord {
  return {
    runId: run.runId,
    stage: run.stage,
    mode: run.mode,
    status: 'running',
    startedAt: new Date().toISOString(),
    finishedAt: null,
    error: null,
    failedStep: null,
    steps: [],
    plans: [],
    findings: [],
    facts: null,
    closure: null,
    targetMatrix: null,
    http: null,
    fleet: null,
  }
}

/** Keeps what a host stage's page shows of its events: each step's plan, and the findings. */
export function collectRunEvent(record: StageRecord, event: RunEvent): void {
  if (event.type === 'plan') record.plans.push({ step: event.step, plan: planView(event.plan) })
  else if (event.type === 'finding') record.findings.push(findingView(event.finding))
}

/** The same for the workers: each host's plans (kept in `plans`), and the findings. */
export function collectFleetEvent(record: StageRecord, plans: FleetPlans, event: FleetEvent): void {
  if (event.type !== 'fleet-host') return
  const inner = event.event
  if (inner.type === 'plan')
    plans.push({ host: event.host, step: inner.step, plan: planView(inner.plan) })
  if (inner.type === 'finding') record.findings.push(findingView(inner.finding))
}

type FleetPlans = NonNullable<StageRecord['fleet']>['plans']

/**
 * The record once the run ended: how, where it failed and why, and what it proved; for the
 * workers, each host's line and plans (and which hosts failed).
 */
export function finishStageRecord(
  record: StageRecord,
  result: JobResult,
  plans: FleetPlans = [],
): StageRecord {
  record.status = result.status
  record.error = result.error ? errorViewOf(result.error) : null
  record.failedStep = result.failedStep
  if (result.summary) {
    record.steps = result.summary.steps.filter((step) => step.status !== 'skipped')
    const matrix = proofOf(result.summary, verifyMirrorStep)?.matrix
    if (matrix) record.targetMatrix = targetMatrixView(matrix)
  }
  const fleet = result.fleet
  if (fleet) {
    record.fleet = {
      mode: fleet.mode,
      status: fleet.status,
      hosts: fleet.hosts.map(fleetHostView),
      plans,
    }
    const failed = fleet.hosts.filter((host) => host.state === 'failed')
    if (failed.length > 0)
      record.error = {
        message: `${failed.length} of ${fleet.hosts.length} workers failed: ${failed.map((host) => host.host).join(', ')}`,
        hint: 'each worker’s line in the list says what failed there and what to do',
      }
  }
  record.finishedAt = new Date().toISOString()
  return record
}
