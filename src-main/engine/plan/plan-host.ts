import { describeErrorValue, errorValue } from '../errors'
import type { RunEvent } from '../run'
import type { Site } from '#shared/site'
import type { RemoteHost } from '../ssh/remote-host'
import type { Finding, Step } from '../steps/step'
import { fingerprintOf } from './fingerprint'
import { NOTHING_CHANGES } from './guards'
import { forwardHostEvents } from './host-events'
import { readHostState } from './host-state'
import type { HostPlan, PlannedStep } from './host-plan'
import { saveRequest, uniqueRequests } from './state-request'
import { selectSteps, type StepRange } from './step-range'

export interface PlanOptions extends StepRange {
  signal?: AbortSignal
}

/**
 * Plans the steps on one host: reads every step's `reads` in one batch, then lets each step turn
 * that state (and what earlier steps hand on) into exact changes. Nothing on the host may change
 * meanwhile: the host refuses everything but reads. A step that cannot plan ends the plan there,
 * with its error; such a plan is shown but cannot be applied.
 */
export async function planSteps(
  steps: readonly Step[],
  host: RemoteHost,
  site: Site,
  options: PlanOptions,
  emit: (event: RunEvent) => void,
): Promise<HostPlan> {
  const selected = selectSteps(steps, options)
  const signal = options.signal ?? new AbortController().signal
  const requests = uniqueRequests(selected.flatMap((step) => step.reads?.(site) ?? []))
  const previousGuard = host.setGuard(NOTHING_CHANGES)
  let currentStep = ''
  const unsubscribe = forwardHostEvents(host, () => currentStep, emit)
  try {
    const state = await readHostState(host, requests, site.mirror.directory)
    const planned: PlannedStep[] = []
    const outputs = new Map<string, unknown>()
    let error: HostPlan['error'] = null
    for (const step of selected) {
      if (signal.aborted) {
        error = { step: step.id, message: 'Planning was cancelled' }
        break
      }
      const findings: Finding[] = []
      currentStep = step.id
      emit({ type: 'step-started', step: step.id, title: step.title })
      try {
        const plan = await step.plan({
          site,
          host,
          state,
          facts: state.facts,
          earlierChanges: planned.flatMap((earlier) => earlier.changes),
          signal,
          output: <O>(earlier: Step<O, unknown>) => outputs.get(earlier.id) as O | undefined,
          log: (line) => emit({ type: 'log', step: step.id, stream: 'info', line }),
          finding: (finding) => {
            const located = { host: host.label, ...finding }
            findings.push(located)
            emit({ type: 'finding', step: step.id, finding: located })
          },
        })
        outputs.set(step.id, plan.outputs)
        planned.push({
          id: step.id,
          title: step.title,
          changes: plan.changes,
          notes: plan.notes,
          findings,
          ...(plan.outputs === undefined ? {} : { outputs: plan.outputs }),
        })
        emit({ type: 'plan', step: step.id, plan: { changes: plan.changes, notes: plan.notes } })
        emit({ type: 'step-done', step: step.id, status: 'planned', changes: plan.changes.length })
      } catch (failure) {
        error = { step: step.id, ...errorValue(failure) }
        emit({
          type: 'step-failed',
          step: step.id,
          message: `${step.title} failed: ${describeErrorValue(error)}`,
        })
        break
      }
    }
    return {
      host: host.label,
      target: host.target,
      createdAt: new Date().toISOString(),
      steps: steps.map(({ id, title }) => ({ id, title })),
      selected: selected.map((step) => step.id),
      planned,
      state: {
        mirrorDirectory: site.mirror.directory,
        requests: requests.map(saveRequest),
        fingerprint: fingerprintOf(state),
      },
      error,
    }
  } finally {
    unsubscribe()
    host.setGuard(previousGuard)
  }
}
