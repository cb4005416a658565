import type { HostState } from '../plan/host-state'
import type { StateRequest } from '../plan/state-request'
import type { HostFacts } from '../remote/facts'
import type { RemoteHost } from '../ssh/remote-host'
import type { Site } from '#shared/site'
import type { Change } from '../plan/change'

export type { Change, CommandChange, FileChange } from '../plan/change'

/** One step's part of a plan: exactly what it changes, and what is worth saying besides. */
export interface StepPlan<Out = unknown> {
  /** In the order they run; empty when the host already is as the step wants it. */
  changes: Change[]
  /** Things worth saying that are not changes ("bandersnatch 6.8.0: newest for Python 3.11"). */
  notes: string[]
  /** What later steps of the same plan need from this one (serialisable: it is saved with it). */
  outputs?: Out
}

export type Severity = 'blocker' | 'warning' | 'info'

export interface Finding {
  severity: Severity
  /** What is wrong, in one line. */
  title: string
  /** The evidence: the exact URL, path, line or value. */
  evidence?: string
  /** The one action that fixes it. */
  fix?: string
  host?: string
}

interface StepContextBase {
  site: Site
  /** Reads only (`host.read`): anything that would change the host is refused. */
  host: RemoteHost
  /** What an earlier step of this plan handed on. */
  output<O>(step: Step<O, unknown>): O | undefined
  log(line: string): void
  finding(finding: Finding): void
  readonly signal: AbortSignal
}

export interface PlanContext extends StepContextBase {
  /** Everything the steps' `reads` asked for, read in one batch before any step planned. */
  state: HostState
  facts: HostFacts
  /** The changes earlier steps of this plan make (a sync is needed when they touch its inputs). */
  earlierChanges: readonly Change[]
}

export interface VerifyContext extends StepContextBase {
  /** The host's facts as they are now (probed again after the changes when `refresh`). */
  facts(refresh?: boolean): Promise<HostFacts>
  /** What an earlier step's verification proved in this run. */
  proof<P>(step: Step<unknown, P>): P | undefined
  progress(done: number, total: number, label?: string): void
}

/**
 * The step contract (Terraform's saved plans, Ansible's check mode): `reads` names what the
 * step's plan depends on, `plan` turns that state into exact changes (data), the runner executes
 * those changes and nothing else, and `verify` proves the outcome from outside, reading only.
 * A step without changes is a read-only probe.
 */
export interface Step<Out = unknown, Proof = unknown> {
  id: string
  title: string
  reads?(site: Site): StateRequest[]
  plan(ctx: PlanContext): Promise<StepPlan<Out>>
  verify?(ctx: VerifyContext): Promise<Proof>
}
