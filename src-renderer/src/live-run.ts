import type { Finding, PlanView, RunEventView, RunMode } from '#shared/ipc/contract'
import type { LogLine } from './log-buffer'

export type StepState =
  'pending' | 'running' | 'ok' | 'changed' | 'planned' | 'failed' | 'not run' | 'cancelled'

/** A run as its events arrive: its steps, its progress, what it planned and found. */
export interface LiveRunState {
  runId: string
  mode: RunMode
  steps: { id: string; title: string; state: StepState }[]
  progress: { step: string; done: number; total: number; label?: string } | null
  plans: { step: string; plan: PlanView }[]
  findings: Finding[]
  failure: string | null
}

export function newLiveRun(runId: string, mode: RunMode): LiveRunState {
  return { runId, mode, steps: [], progress: null, plans: [], findings: [], failure: null }
}

function setStepState(run: LiveRunState, id: string, state: StepState, title?: string): void {
  const step = run.steps.find((candidate) => candidate.id === id)
  if (step) step.state = state
  else run.steps.push({ id, title: title ?? id, state })
}

/**
 * Folds one engine event into the run (the wizard's stages and the dashboard's actions alike);
 * lines for the log go to `log`.
 */
export function applyRunEvent(
  run: LiveRunState,
  event: RunEventView,
  log: (line: LogLine) => void,
): void {
  switch (event.type) {
    case 'run-started':
      run.mode = event.mode
      run.steps = event.steps.map((step) => ({ ...step, state: 'pending' }))
      log({
        stream: 'info',
        text: `── ${event.mode === 'plan' ? 'Planning' : 'Applying'} on ${event.host} ──`,
      })
      break
    case 'step-started':
      setStepState(run, event.step, 'running', event.title)
      log({ stream: 'info', text: `== ${event.title}` })
      break
    case 'plan':
      run.plans.push({ step: event.step, plan: event.plan })
      break
    case 'log':
      log({ stream: event.stream, text: event.line })
      break
    case 'progress':
      run.progress = {
        step: event.step,
        done: event.done,
        total: event.total,
        ...(event.label ? { label: event.label } : {}),
      }
      break
    case 'finding':
      run.findings.push(event.finding)
      break
    case 'step-done':
      setStepState(run, event.step, event.status)
      break
    case 'step-failed':
      setStepState(run, event.step, 'failed')
      run.failure = event.message
      log({ stream: 'stderr', text: event.message })
      break
    case 'run-done':
      // Steps the run never reached did not run; after a cancel, neither did the one under way.
      for (const step of run.steps)
        if (step.state === 'pending' || (step.state === 'running' && event.status === 'cancelled'))
          step.state = event.status === 'cancelled' ? 'cancelled' : 'not run'
      break
  }
}
