import { z } from 'zod'
import { mirrorSchema, sshTargetSchema, workerSchema } from '../site'
import { siteDraftSchema, stageIdSchema, wizardStepIdSchema } from '../wizard'
import {
  activeDashboardRunSchema,
  dashboardRunRecordSchema,
  siteIdSchema,
} from './dashboard-schemas'
import {
  closureEntrySchema,
  errorViewSchema,
  findingSchema,
  stepOutcomeSchema,
  fleetEventViewSchema,
  fleetSummaryViewSchema,
  hostFactsSchema,
  httpProbeSchema,
  targetMatrixSchema,
  planViewSchema,
  runEventViewSchema,
  runModeSchema,
  runStatusSchema,
} from './engine-schemas'

/**
 * The app session as the renderer sees it: the wizard's steps, the site being described, the
 * connection, and the runs. No Node imports: the renderer compiles this file too.
 */

const shortText = z.string().max(10_000)

/**
 * A change to the draft: any subset of its fields; `null` clears `ssh` or `serve`. The
 * defaults are unwrapped, so a field left out stays as it is instead of going back to default.
 */
export const siteDraftPatchSchema = z.strictObject({
  ssh: sshTargetSchema.nullable().optional(),
  directory: mirrorSchema.shape.directory.unwrap().optional(),
  upstream: mirrorSchema.shape.upstream.unwrap().optional(),
  allowNonHttps: z.boolean().optional(),
  proxy: mirrorSchema.shape.proxy.unwrap().optional(),
  requirements: mirrorSchema.shape.requirements,
  pythonVersions: mirrorSchema.shape.pythonVersions.unwrap().optional(),
  serve: mirrorSchema.shape.serve.nullable().optional(),
  workers: z.array(workerSchema).max(200).optional(),
})

export { errorViewSchema }
export {
  siteDraftSchema,
  STAGE_IDS,
  STAGE_TITLES,
  stageIdSchema,
  WIZARD_STEP_IDS,
  wizardStepIdSchema,
} from '../wizard'

export const hostKeySchema = z.object({ keyType: shortText, fingerprint: shortText })

export const connectionViewSchema = z.object({
  state: z.enum(['connected', 'disconnected']),
  /** `user@host:port` */
  label: shortText.nullable(),
  hostKey: hostKeySchema.nullable(),
  /** A password, passphrase or sudo password is held for this host (its value never leaves main). */
  hasSecrets: z.boolean(),
})

const unknownKeySchema = z.object({
  kind: z.literal('unknown-key'),
  host: shortText,
  port: z.number(),
  keyType: shortText,
  fingerprint: shortText,
  /** What to run on the server to see its own fingerprint, for comparison. */
  checkCommand: shortText,
})

const changedKeySchema = z.object({
  kind: z.literal('changed-key'),
  host: shortText,
  port: z.number(),
  offered: hostKeySchema,
  known: z.array(shortText),
  knownHostsPath: shortText,
})

const connectFailedSchema = z.object({ kind: z.literal('failed'), error: errorViewSchema })

export const connectOutcomeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('connected'), connection: connectionViewSchema }),
  unknownKeySchema,
  changedKeySchema,
  connectFailedSchema,
])

export const secretsInputSchema = z.strictObject({
  password: z.string().max(1024).optional(),
  passphrase: z.string().max(1024).optional(),
  sudoPassword: z.string().max(1024).optional(),
})

export const stageStepSchema = z.object({
  id: shortText,
  status: stepOutcomeSchema,
  changes: z.number(),
})

/** What one run of a stage found and did; the latest of each stage is kept across restarts. */
export const stageRecordSchema = z.object({
  runId: shortText,
  stage: stageIdSchema,
  mode: runModeSchema,
  status: z.union([runStatusSchema, z.literal('running')]),
  startedAt: shortText,
  finishedAt: shortText.nullable(),
  error: errorViewSchema.nullable(),
  failedStep: shortText.nullable(),
  steps: z.array(stageStepSchema),
  plans: z.array(z.object({ step: shortText, plan: planViewSchema })),
  findings: z.array(findingSchema),
  facts: hostFactsSchema.nullable(),
  closure: z.array(closureEntrySchema).nullable(),
  /** The verify stage: every pin on every target. */
  targetMatrix: targetMatrixSchema.nullable().default(null),
  http: z.array(httpProbeSchema).nullable(),
  /** The workers stage: each host's result, and the plan each host's steps made. */
  fleet: fleetSummaryViewSchema
    .extend({
      plans: z.array(z.object({ host: shortText, step: shortText, plan: planViewSchema })),
    })
    .nullable()
    .default(null),
})

/** A command that ran on a host, as the engine rendered it. */
export const commandLineSchema = z.object({
  stage: stageIdSchema,
  step: shortText,
  line: z.string().max(200_000),
  /** A check that reads and changes nothing (left out of the exported script). */
  readOnly: z.boolean(),
})

export const activeRunSchema = z.object({
  runId: shortText,
  stage: stageIdSchema,
  mode: runModeSchema,
  startedAt: shortText,
})

export const sessionSnapshotSchema = z.object({
  wizard: z.object({
    step: wizardStepIdSchema,
    /** Steps the operator has finished, in wizard order. */
    completed: z.array(wizardStepIdSchema),
  }),
  site: siteDraftSchema,
  connection: connectionViewSchema,
  /** True when remembered secrets can be kept encrypted by the OS keychain. */
  secretsCanPersist: z.boolean(),
  stages: z.partialRecord(stageIdSchema, stageRecordSchema),
  /** A run under way in this session (the page reattaches to its events). */
  activeRun: activeRunSchema.nullable(),
  /** A run that was under way when the app last closed (a sync may still run on the host). */
  interruptedRun: activeRunSchema.nullable(),
  commands: z.array(commandLineSchema),
  /** The mirror's URL as OpenLambda's `pip_mirror` wants it (pip's index is `<url>/simple`). */
  mirrorUrl: shortText.nullable(),
  dataDir: shortText,
  /** Which setup this is: the saved site's id, or a draft's own until it is saved. */
  wizardKey: siteIdSchema,
  /** The saved site this setup belongs to; null until the wizard has saved it. */
  siteId: siteIdSchema.nullable(),
  /** A dashboard action under way (the page follows it again after a reload). */
  dashboardRun: activeDashboardRunSchema.nullable(),
})

export const sessionEventSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('run-event'),
    runId: shortText,
    stage: stageIdSchema,
    event: runEventViewSchema,
  }),
  z.object({ kind: z.literal('run-finished'), record: stageRecordSchema }),
  z.object({ kind: z.literal('connection'), connection: connectionViewSchema }),
  z.object({ kind: z.literal('command'), command: commandLineSchema }),
  z.object({ kind: z.literal('fleet-event'), runId: shortText, event: fleetEventViewSchema }),
  z.object({
    kind: z.literal('dashboard-event'),
    runId: shortText,
    siteId: siteIdSchema,
    event: runEventViewSchema,
  }),
  z.object({ kind: z.literal('dashboard-finished'), record: dashboardRunRecordSchema }),
  /** The open setup became a saved site (it now has a dashboard). */
  z.object({ kind: z.literal('site-saved'), siteId: siteIdSchema }),
])

/** Adding a worker host: its key is confirmed like the mirror's, then it joins the site. */
export const workerAddOutcomeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('added'), site: siteDraftSchema }),
  unknownKeySchema,
  changedKeySchema,
  connectFailedSchema,
])

export const runStartOutcomeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('started'), runId: shortText }),
  z.object({ kind: z.literal('refused'), error: errorViewSchema }),
])

export const sshConfigHostSchema = z.object({
  alias: shortText,
  hostName: shortText,
  user: shortText.nullable(),
  port: z.number().nullable(),
  identityFile: shortText.nullable(),
})

export type WizardStepId = z.output<typeof wizardStepIdSchema>
export type StageId = z.output<typeof stageIdSchema>
export type SiteDraft = z.output<typeof siteDraftSchema>
export type SiteDraftPatch = z.input<typeof siteDraftPatchSchema>
export type ErrorView = z.output<typeof errorViewSchema>
export type ConnectionView = z.output<typeof connectionViewSchema>
export type ConnectOutcome = z.output<typeof connectOutcomeSchema>
export type SecretsInput = z.output<typeof secretsInputSchema>
export type StageRecord = z.output<typeof stageRecordSchema>
export type CommandLineView = z.output<typeof commandLineSchema>
export type ActiveRun = z.output<typeof activeRunSchema>
export type SessionSnapshot = z.output<typeof sessionSnapshotSchema>
export type SessionEvent = z.output<typeof sessionEventSchema>
export type SshConfigHost = z.output<typeof sshConfigHostSchema>
export type RunStartOutcome = z.output<typeof runStartOutcomeSchema>
export type WorkerAddOutcome = z.output<typeof workerAddOutcomeSchema>
export type SessionEventInput = z.input<typeof sessionEventSchema>
