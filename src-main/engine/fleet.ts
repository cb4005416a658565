import { describeError, errorValue, type ErrorValue } from './errors'
import { applyHostPlan } from './plan/apply-host'
import type { HostPlan } from './plan/host-plan'
import { runSteps, type RunEvent, type RunMode, type RunSummary } from './run'
import type { SshTarget, Site } from '#shared/site'
import type { RemoteHost } from './ssh/remote-host'
import type { Finding, Step } from './steps/step'

/** One host's share of a fleet run: its steps, run over its own connection. */
export interface FleetJob {
  /** The name on its status line and in the summary; unique within the fleet. */
  label: string
  target: SshTarget
  site: Site
  steps: readonly Step[]
  /** The approved plan to execute (apply); planned afresh and applied at once when absent. */
  plan?: HostPlan
  /**
   * What the host's final status line says besides its changes, from its run: the steps' typed
   * outputs and proofs (which OpenLambda it is, whether installs from the mirror are proven).
   */
  statusNotes?(summary: RunSummary): string[]
}

/** Opens a new connection; the fleet closes it when the host is done. */
export type Connect = (target: SshTarget) => Promise<RemoteHost>

export type FleetHostState =
  'queued' | 'connecting' | 'running' | 'ok' | 'changed' | 'planned' | 'failed' | 'cancelled'

export interface FleetHostResult {
  host: string
  state: Extract<FleetHostState, 'ok' | 'changed' | 'planned' | 'failed' | 'cancelled'>
  /** Changes planned (plan) or made (apply). */
  changes: number
  failedStep?: string
  /** The failed step's title, for people. */
  failedTitle?: string
  error?: string
  /** The same error as a value: what failed, where, and what to do. */
  failure?: ErrorValue
  findings: Finding[]
  /** The status line the host ended with. */
  line: string
  /** The host's run: its plan (plan mode) or what it executed, and the proofs. */
  summary?: RunSummary
}

export interface FleetSummary {
  mode: RunMode
  /** failed when any host failed, else changed when any changed, else ok (or planned). */
  status: 'ok' | 'changed' | 'planned' | 'failed' | 'cancelled'
  counts: Record<FleetHostResult['state'], number>
  hosts: FleetHostResult[]
}

export type FleetEvent =
  | { type: 'fleet-started'; mode: RunMode; hosts: string[]; concurrency: number }
  /** One status line per host, sent whenever it changes. */
  | { type: 'fleet-host-status'; host: string; state: FleetHostState; line: string }
  /** A host's own run events, unchanged. */
  | { type: 'fleet-host'; host: string; event: RunEvent }
  | { type: 'fleet-done'; summary: FleetSummary }

export interface FleetOptions {
  mode: RunMode
  /** Hosts worked on at once (default 4). */
  concurrency?: number
  signal?: AbortSignal
}

export const DEFAULT_CONCURRENCY = 4

function firstLine(text: string): string {
  return text.split('\n')[0] ?? ''
}

function finalLine(result: Omit<FleetHostResult, 'line'>, mode: RunMode): string {
  switch (result.state) {
    case 'failed':
      return `FAILED${result.failedTitle ? ` at "${result.failedTitle}"` : ''}: ${firstLine(result.error ?? '')}`
    case 'cancelled':
      return 'cancelled'
    case 'planned':
      return result.changes === 0 ? 'nothing to change' : `${result.changes} changes planned`
    case 'changed':
      return `done: ${result.changes} changes`
    case 'ok':
      return mode === 'plan' ? 'nothing to change' : 'done: nothing to change'
  }
}

/**
 * Runs each job's steps on its host, a bounded number of hosts at once. One host's failure (to
 * connect or in a step) ends that host only; the others carry on. Ends with a summary.
 */
export async function runFleet(
  jobs: readonly FleetJob[],
  connect: Connect,
  options: FleetOptions,
  emit: (event: FleetEvent) => void,
): Promise<FleetSummary> {
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY))
  const status = (host: string, state: FleetHostState, line: string) =>
    emit({ type: 'fleet-host-status', host, state, line })
  emit({
    type: 'fleet-started',
    mode: options.mode,
    hosts: jobs.map((job) => job.label),
    concurrency,
  })
  for (const job of jobs) status(job.label, 'queued', 'waiting')

  const results: FleetHostResult[] = new Array(jobs.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const index = next++
      const job = jobs[index] as FleetJob
      const result = await runJob(job, connect, options, emit, status)
      const notes = result.summary ? (job.statusNotes?.(result.summary) ?? []) : []
      const line = [finalLine(result, options.mode), ...notes].join('; ')
      status(job.label, result.state, line)
      results[index] = { ...result, line }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker))

  const counts = { ok: 0, changed: 0, planned: 0, failed: 0, cancelled: 0 }
  for (const result of results) counts[result.state]++
  const summary: FleetSummary = {
    mode: options.mode,
    status:
      counts.failed > 0
        ? 'failed'
        : counts.cancelled > 0
          ? 'cancelled'
          : counts.changed > 0
            ? 'changed'
            : options.mode === 'plan'
              ? 'planned'
              : 'ok',
    counts,
    hosts: results,
  }
  emit({ type: 'fleet-done', summary })
  return summary
}

async function runJob(
  job: FleetJob,
  connect: Connect,
  options: FleetOptions,
  emit: (event: FleetEvent) => void,
  status: (host: string, state: FleetHostState, line: string) => void,
): Promise<Omit<FleetHostResult, 'line'>> {
  const findings: Finding[] = []
  if (options.signal?.aborted) return { host: job.label, state: 'cancelled', changes: 0, findings }
  status(
    job.label,
    'connecting',
    `connecting to ${job.target.user}@${job.target.host}:${job.target.port}`,
  )
  let host: RemoteHost
  try {
    host = await connect(job.target)
  } catch (error) {
    return {
      host: job.label,
      state: 'failed',
      changes: 0,
      failedStep: 'connect',
      failedTitle: 'Connect',
      error: describeError(error),
      failure: errorValue(error),
      findings,
    }
  }
  const total = job.steps.length
  let summary: RunSummary
  try {
    const forward = (event: RunEvent): void => {
      if (event.type === 'step-started') {
        const position = job.steps.findIndex((step) => step.id === event.step) + 1
        status(job.label, 'running', `step ${position}/${total}: ${event.title}`)
      }
      if (event.type === 'finding') findings.push(event.finding)
      emit({ type: 'fleet-host', host: job.label, event })
    }
    const signal = options.signal ? { signal: options.signal } : {}
    summary =
      options.mode === 'apply' && job.plan
        ? await applyHostPlan(job.plan, job.steps, host, job.site, signal, forward)
        : await runSteps(job.steps, host, job.site, { mode: options.mode, ...signal }, forward)
  } catch (error) {
    return {
      host: job.label,
      state: 'failed',
      changes: 0,
      error: describeError(error),
      failure: errorValue(error),
      findings,
    }
  } finally {
    host.close()
  }
  const changes = summary.steps.reduce((sum, step) => sum + step.changes, 0)
  return {
    host: job.label,
    state: summary.status,
    changes,
    ...(summary.failedStep
      ? {
          failedStep: summary.failedStep,
          failedTitle:
            job.steps.find((step) => step.id === summary.failedStep)?.title ?? summary.failedStep,
        }
      : {}),
    ...(summary.error ? { error: summary.error } : {}),
    ...(summary.failure ? { failure: summary.failure } : {}),
    findings,
    summary,
  }
}

/** The summary as text: one line per host, then the totals. */
export function fleetSummaryLines(summary: FleetSummary): string[] {
  const width = Math.max(...summary.hosts.map((host) => host.host.length), 4)
  const { counts } = summary
  const totals = [
    counts.changed && `${counts.changed} changed`,
    counts.ok && `${counts.ok} unchanged`,
    counts.planned && `${counts.planned} planned`,
    counts.failed && `${counts.failed} failed`,
    counts.cancelled && `${counts.cancelled} cancelled`,
  ].filter(Boolean)
  return [
    ...summary.hosts.map((host) => `${host.host.padEnd(width)}  ${host.line}`),
    `${summary.hosts.length} hosts: ${totals.join(', ')}`,
  ]
}
