import { z } from 'zod'

/**
 * The engine's data as the renderer sees it. The engine's own types live in files that import
 * Node modules, so the renderer cannot load them; these schemas mirror them, and
 * src-main/app/engine-views.ts proves at compile time that the engine's values fit. Commands
 * arrive as the text the engine rendered (`command`), never as argv for the page to quote.
 */

const text = z.string().max(200_000)
const shortText = z.string().max(10_000)

/** An engine error for a person: what failed, and what to do next. */
export const errorViewSchema = z.object({
  message: shortText,
  hint: shortText.optional(),
  /** What callers act on: `stale-plan` (the host changed: plan again), `no-plan` ... */
  code: shortText.optional(),
})

/** The one action that fixes a finding, as a face can offer it (engine/workers/doctor-finding.ts). */
export const findingActionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('add-to-mirror'), requirements: z.array(shortText) }),
  z.object({ kind: z.literal('compile-requirements') }),
  z.object({
    kind: z.literal('mirror-platforms'),
    platform: z.literal('linux'),
    pythonVersion: shortText,
  }),
  z.object({ kind: z.literal('permission-doctor'), url: shortText }),
  z.object({ kind: z.literal('apply-workers') }),
  z.object({ kind: z.literal('add-python'), pythonVersion: z.string().regex(/^3\.\d{1,2}$/) }),
])

export const findingSchema = z.object({
  severity: z.enum(['blocker', 'warning', 'info']),
  title: shortText,
  evidence: shortText.optional(),
  fix: shortText.optional(),
  host: shortText.optional(),
  action: findingActionSchema.optional(),
})

export const changeViewSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('command'),
    summary: shortText,
    /** The command line exactly as it runs on the host, quoted by the engine. */
    command: text,
    sudo: z.boolean(),
  }),
  z.object({ kind: z.literal('file'), summary: shortText, path: shortText, diff: text }),
  /** Nothing runs: the run follows what already runs on the host (a sync) to its end. */
  z.object({ kind: z.literal('wait'), summary: shortText }),
  /** An engine routine works files out from what an earlier change made, and writes only them. */
  z.object({
    kind: z.literal('derive'),
    summary: shortText,
    routine: shortText,
    reads: shortText,
    writes: z.array(shortText),
  }),
])

export const planViewSchema = z.object({
  changes: z.array(changeViewSchema),
  notes: z.array(text),
})

export const stepStatusSchema = z.enum(['changed', 'ok', 'planned'])
/** How a step ended in a run: `not run` after an earlier failure, `skipped` outside the range. */
export const stepOutcomeSchema = z.enum([
  'changed',
  'ok',
  'planned',
  'failed',
  'not run',
  'cancelled',
  'skipped',
])
export const runStatusSchema = z.enum(['ok', 'changed', 'planned', 'failed', 'cancelled'])
export const runModeSchema = z.enum(['plan', 'apply'])
export const logStreamSchema = z.enum(['stdout', 'stderr', 'command', 'info'])

/** The engine's RunEvent, with plans turned into views. */
export const runEventViewSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('run-started'),
    runId: shortText,
    mode: runModeSchema,
    host: shortText,
    steps: z.array(z.object({ id: shortText, title: shortText })),
  }),
  z.object({ type: z.literal('step-started'), step: shortText, title: shortText }),
  z.object({ type: z.literal('plan'), step: shortText, plan: planViewSchema }),
  z.object({ type: z.literal('log'), step: shortText, stream: logStreamSchema, line: text }),
  z.object({
    type: z.literal('progress'),
    step: shortText,
    done: z.number(),
    total: z.number(),
    label: shortText.optional(),
  }),
  z.object({ type: z.literal('finding'), step: shortText, finding: findingSchema }),
  z.object({
    type: z.literal('step-done'),
    step: shortText,
    status: stepStatusSchema,
    changes: z.number(),
  }),
  z.object({ type: z.literal('step-failed'), step: shortText, message: text }),
  z.object({
    type: z.literal('run-done'),
    runId: shortText,
    status: runStatusSchema,
    failedStep: shortText.optional(),
  }),
])

export const fleetHostStateSchema = z.enum([
  'queued',
  'connecting',
  'running',
  'ok',
  'changed',
  'planned',
  'failed',
  'cancelled',
])

export const fleetHostResultSchema = z.object({
  host: shortText,
  state: z.enum(['ok', 'changed', 'planned', 'failed', 'cancelled']),
  changes: z.number(),
  failedStep: shortText.optional(),
  failedTitle: shortText.optional(),
  error: text.optional(),
  /** What failed there and what to do, as the engine said it. */
  failure: errorViewSchema.optional(),
  findings: z.array(findingSchema),
  line: text,
})

export const fleetSummaryViewSchema = z.object({
  mode: runModeSchema,
  status: runStatusSchema,
  hosts: z.array(fleetHostResultSchema),
})

/** The engine's FleetEvent: several hosts at once, each host's own run events inside. */
export const fleetEventViewSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('fleet-started'),
    mode: runModeSchema,
    hosts: z.array(shortText),
    concurrency: z.number(),
  }),
  z.object({
    type: z.literal('fleet-host-status'),
    host: shortText,
    state: fleetHostStateSchema,
    line: text,
  }),
  z.object({ type: z.literal('fleet-host'), host: shortText, event: runEventViewSchema }),
  z.object({ type: z.literal('fleet-done'), summary: fleetSummaryViewSchema }),
])

export const hostFactsSchema = z.object({
  user: shortText,
  uid: z.number(),
  os: z.object({
    id: shortText,
    versionId: shortText,
    name: shortText,
    like: z.array(shortText),
  }),
  packageManager: z.enum(['apt-get', 'dnf', 'yum', 'zypper', 'apk']).nullable(),
  init: z.enum(['systemd', 'other']),
  python: z.object({ path: shortText, version: shortText, hasVenv: z.boolean() }).nullable(),
  disk: z
    .object({ path: shortText, mount: shortText, freeBytes: z.number(), totalBytes: z.number() })
    .nullable(),
  nginx: z.object({
    path: shortText.nullable(),
    installed: z.boolean(),
    running: z.boolean(),
    user: shortText,
    userSource: z.enum(['worker process', 'nginx.conf', 'distribution default']),
  }),
  sudo: z.enum(['root', 'sudo-nopasswd', 'sudo-password', 'none']),
  ipv4: z.array(shortText),
  hostname: shortText,
})

/** One release of the resolved closure, with its size on the upstream when known. */
export const closureEntrySchema = z.object({
  name: shortText,
  version: shortText,
  marker: shortText,
  via: z.array(shortText),
  direct: z.boolean(),
  bytes: z.number().nullable(),
})

/** The verify step's proof: every pin against every target (engine/verify/matrix-types.ts). */
export const targetMatrixSchema = z.object({
  targets: z.array(z.object({ id: shortText, label: shortText })),
  rows: z.array(
    z.object({
      name: shortText,
      version: shortText,
      marker: shortText,
      role: z.enum(['requirement', 'build-backend']),
      buildBackendOf: z.array(shortText),
      cells: z.array(
        z.object({
          target: shortText,
          state: z.enum([
            'installs',
            'not-needed',
            'no-file',
            'backend-missing',
            'requires-python',
            'not-served',
          ]),
          file: shortText.nullable(),
          sha256: shortText.nullable(),
          via: z.enum(['wheel', 'sdist']).nullable(),
          reason: shortText,
          fix: shortText.nullable(),
          markerUndecided: z.boolean(),
        }),
      ),
    }),
  ),
  failures: z.number(),
})

export const httpProbeSchema = z.object({ url: shortText, what: shortText, status: z.number() })

export type Finding = z.output<typeof findingSchema>
export type FindingAction = z.output<typeof findingActionSchema>
export type ChangeView = z.output<typeof changeViewSchema>
export type PlanView = z.output<typeof planViewSchema>
export type RunEventView = z.output<typeof runEventViewSchema>
export type RunEventViewInput = z.input<typeof runEventViewSchema>
export type RunStatus = z.output<typeof runStatusSchema>
export type RunMode = z.output<typeof runModeSchema>
export type LogStream = z.output<typeof logStreamSchema>
export type HostFactsView = z.output<typeof hostFactsSchema>
export type ClosureEntry = z.output<typeof closureEntrySchema>
export type TargetMatrixView = z.output<typeof targetMatrixSchema>
export type HttpProbeView = z.output<typeof httpProbeSchema>
export type FleetHostState = z.output<typeof fleetHostStateSchema>
export type FleetSummaryView = z.output<typeof fleetSummaryViewSchema>
export type FleetHostResultView = z.output<typeof fleetHostResultSchema>
export type FleetEventView = z.output<typeof fleetEventViewSchema>
export type FleetEventViewInput = z.input<typeof fleetEventViewSchema>
