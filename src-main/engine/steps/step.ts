import type { HostFacts } from '../remote/facts'
import type { RemoteHost } from '../ssh/remote-host'
import type { Site } from '../site'

/** One change a step would make, as data: shown to the operator before anything is touched. */
export type Change =
  | { kind: 'command'; summary: string; argv: readonly string[]; sudo: boolean }
  | { kind: 'file'; summary: string; path: string; diff: string }

export interface StepPlan {
  /** Empty when the host already is as the step wants it. */
  changes: Change[]
  /** Things worth saying that are not changes ("bandersnatch 6.6.0: newest for Python 3.11"). */
  notes: string[]
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

export interface StepContext {
  host: RemoteHost
  site: Site
  /** Facts gathered once per run (the preflight probe); re-probed on demand after changes. */
  facts(refresh?: boolean): Promise<HostFacts>
  log(line: string): void
  progress(done: number, total: number, label?: string): void
  finding(finding: Finding): void
  /** Values steps hand on to later steps in the same run (for example the resolved requirements). */
  readonly shared: Map<string, unknown>
  readonly signal: AbortSignal
}

/**
 * The step contract (Ansible's check and diff modes): `check` reads, `plan` says what would
 * change, `apply` changes it idempotently, `verify` proves the outcome from outside.
 */
export interface Step<P extends StepPlan = StepPlan> {
  id: string
  title: string
  check(ctx: StepContext): Promise<{ done: boolean; summary: string }>
  plan(ctx: StepContext): Promise<P>
  apply(ctx: StepContext, plan: P): Promise<void>
  verify(ctx: StepContext): Promise<void>
}

export function emptyPlan(notes: string[] = []): StepPlan {
  return { changes: [], notes }
}
