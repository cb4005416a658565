import { probeFacts, FACTS_SCRIPT } from '../engine/remote/facts'
import { commandLine, scriptCommand } from '../engine/remote/quote'
import { upstreamSizes } from '../engine/remote/upstream-sizes'
import { EngineError } from '../engine/errors'
import { applyHostPlan } from '../engine/plan/apply-host'
import type { HostPlan } from '../engine/plan/host-plan'
import { planSteps } from '../engine/plan/plan-host'
import { runSteps, type RunEvent, type RunSummary } from '../engine/run'
import { mirrorRequirements } from '../engine/site-file'
import type { Site } from '#shared/site'
import type { RemoteHost } from '../engine/ssh/remote-host'
import { mirrorLayout, VENV_PYTHON } from '../engine/steps/mirror-layout'
import { compileArgv, previewClosure, STDIN_INPUT } from '../engine/steps/resolve-requirements'
import { proofOf } from '../engine/plan/step-values'
import { verifyMirrorStep } from '../engine/steps/verify-mirror'
import type {
  ClosureEntry,
  RunEventViewInput,
  RunMode,
  StageId,
  StageRecord,
} from '#shared/ipc/contract'
import {
  errorView,
  errorViewOf,
  factsView,
  findingView,
  planView,
  runEventView,
  targetMatrixView,
} from './engine-views'
import type { RecordedAction } from '../app-data/recorded-action'
import { recordHostActions } from './recorded-commands'
import { STAGE_STEPS, type HostStageId, type StageSteps } from './stages'

export interface StageRun {
  runId: string
  stage: HostStageId
  mode: RunMode
  host: RemoteHost
  site: Site
  signal: AbortSignal
  /** Every event of the run, for the page. */
  emit(event: RunEventViewInput): void
  /** Every command and file write on the host, for "Show commands" and the exported script. */
  record(action: RecordedAction): void
  /** Every engine event, for the activity history. */
  history?(event: RunEvent): void
  /** The plan the page shows for this stage: kept by a plan run, executed by the apply run. */
  shown: ShownPlan
}

export interface ShownPlan {
  get(): HostPlan | undefined
  set(plan: HostPlan): void
  clear(): void
}

/** A plan whose only "changes" follow what already runs (a sync) changes nothing. */
const changesNothing = (plan: HostPlan): boolean =>
  plan.planned.every((step) => step.changes.every((change) => change.kind === 'wait'))

/**
 * The run of a stage: a plan run makes the plan the page shows (and keeps it); an apply run
 * executes exactly that plan, or, when the page shows none, a fresh one only if it changes
 * nothing (verifying, following a sync). A host that changed since its plan is refused (the
 * record's error has the code `stale-plan`).
 */
async function stageSummary(
  run: StageRun,
  steps: StageSteps,
  forward: (event: RunEvent) => void,
): Promise<RunSummary> {
  const range = { from: steps.from, to: steps.to }
  if (run.mode === 'plan') {
    const summary = await runSteps(
      steps.steps,
      run.host,
      run.site,
      { mode: 'plan', ...range, signal: run.signal },
      forward,
    )
    if (summary.plan && !summary.plan.error) run.shown.set(summary.plan)
    else run.shown.clear()
    return summary
  }
  let plan = run.shown.get()
  run.shown.clear()
  if (!plan) {
    plan = await planSteps(
      steps.steps,
      run.host,
      run.site,
      { ...range, signal: run.signal },
      (event) => {
        if (event.type === 'finding') forward(event)
      },
    )
    if (!plan.error && !changesNothing(plan))
      throw new EngineError('This page shows no plan for these changes: nothing was run', {
        host: run.host.label,
        hint: 'plan first, read what will change, then apply that plan',
        code: 'no-plan',
      })
  }
  return applyHostPlan(
    plan,
    steps.steps,
    run.host,
    run.site,
    { signal: run.signal, runId: run.runId },
    forward,
  )
}

/**
 * Runs one stage through the engine's runSteps, collecting what the page shows afterwards (plans,
 * findings, facts, the closure, per-package results) into a StageRecord. Never throws: a failure
 * is the record's error, with the engine's message and what to do.
 */
export async function runStage(run: StageRun): Promise<StageRecord> {
  const record = newRecord(run)
  let currentStep = run.stage as string
  const now = (): string => new Date().toISOString()
  const stopRecording = recordHostActions(run.host, run.stage, () => currentStep, run.record)
  const forward = (event: RunEvent): void => {
    if (event.type === 'step-started') currentStep = event.step
    collect(record, event)
    run.history?.(event)
    run.emit(runEventView(event))
  }
  const readOnly = (step: string, argv: readonly string[]): void => {
    const line: RunEvent = { type: 'log', step, stream: 'command', line: `$ ${commandLine(argv)}` }
    run.history?.(line)
    run.emit(line)
    run.record({
      kind: 'command',
      stage: run.stage,
      step,
      host: run.host.label,
      argv: [...argv],
      sudo: false,
      readOnly: true,
      at: now(),
    })
  }
  try {
    const steps = STAGE_STEPS[run.stage]
    if (run.stage === 'check') {
      const directory = mirrorLayout(run.site.mirror).dir
      readOnly('facts', scriptCommand(FACTS_SCRIPT, [directory]))
      record.facts = factsView(await probeFacts(run.host, directory))
    }
    const summary = await stageSummary(run, steps, forward)
    record.status = summary.status
    record.steps = summary.steps.filter((step) => step.status !== 'skipped')
    record.failedStep = summary.failedStep ?? null
    record.error = summary.failure ? errorViewOf(summary.failure) : null
    const matrix = proofOf(summary, verifyMirrorStep)?.matrix
    if (matrix) record.targetMatrix = targetMatrixView(matrix)
    if (run.stage === 'packages' && summary.status !== 'failed' && summary.status !== 'cancelled') {
      const toolsReady =
        run.mode === 'apply' || record.plans.every((p) => p.plan.changes.length === 0)
      if (toolsReady) {
        currentStep = 'closure'
        readOnly('closure', compileArgv(run.site.mirror, STDIN_INPUT, null))
        record.closure = await resolveClosure(run.host, run.site)
        const line: RunEvent = {
          type: 'log',
          step: 'closure',
          stream: 'info',
          line: `${record.closure.length} releases in the closure`,
        }
        run.history?.(line)
        run.emit(line)
      }
    }
  } catch (error) {
    record.status = run.signal.aborted ? 'cancelled' : 'failed'
    record.error = errorView(error)
    record.failedStep = currentStep
  } finally {
    stopRecording()
  }
  record.finishedAt = now()
  return record
}

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

function collect(record: StageRecord, event: RunEvent): void {
  if (event.type === 'plan') record.plans.push({ step: event.step, plan: planView(event.plan) })
  else if (event.type === 'finding') record.findings.push(findingView(event.finding))
}

/** The pinned closure of the operator's list, and each release's size on the upstream. */
async function resolveClosure(host: RemoteHost, site: Site): Promise<ClosureEntry[]> {
  const pins = await previewClosure(host, site.mirror, mirrorRequirements(site))
  const sizes = await upstreamSizes(host, VENV_PYTHON, {
    upstream: site.mirror.upstream,
    proxy: site.mirror.proxy,
    platforms: site.mirror.platforms,
    requirements: pins.map((pin) => `${pin.name}==${pin.version}`),
  }).catch(() => null)
  return pins.map((pin) => ({
    name: pin.name,
    version: pin.version,
    marker: pin.marker,
    via: pin.via,
    direct: pin.direct,
    bytes: sizes?.projects[`${pin.name}==${pin.version}`]?.bytes ?? null,
  }))
}
