import { z } from 'zod'
import { dashboardActionRequestSchema } from '../dashboard-request'
import { scheduleSchema } from '../schedule'
import { siteSchema } from '../site'
import { pruneViewSchema, updatePlanViewSchema } from './audit-schemas'
import {
  changeViewSchema,
  errorViewSchema,
  findingSchema,
  runStatusSchema,
  stepOutcomeSchema,
  targetMatrixSchema,
} from './engine-schemas'

/**
 * The dashboard as the renderer sees it: a saved site's health, its actions (each planned before
 * it runs), and its sync schedule. The engine's own types live in files that import Node, so
 * these mirror them; src-main/app/dashboard-views.ts proves at compile time that they still fit.
 */

const shortText = z.string().max(10_000)
const siteIdSchema = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$/, 'is not a site id')

export { siteIdSchema }

/** Every action, the permission repair included (the engine keeps that one apart). */
export const dashboardRequestSchema = z.discriminatedUnion('action', [
  ...dashboardActionRequestSchema.options,
  z.strictObject({ action: z.literal('repair-permissions') }),
])

export const DASHBOARD_ACTION_IDS = [
  'sync-now',
  'add-packages',
  'repair-permissions',
  'restart-nginx',
  'update-bandersnatch',
  'remove-mirror',
  'set-schedule',
  'remove-schedule',
  'update',
  'prune',
] as const
export const dashboardActionIdSchema = z.enum(DASHBOARD_ACTION_IDS)

export const healthCheckSchema = z.object({
  state: z.enum(['ok', 'warning', 'failed', 'unknown']),
  reason: shortText,
})

export const syncStateSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('running'),
    pid: z.number(),
    todo: z.boolean(),
    logBytes: z.number(),
  }),
  z.object({
    kind: z.literal('finished'),
    exitCode: z.number(),
    todo: z.boolean(),
    logBytes: z.number(),
  }),
  z.object({ kind: z.literal('none'), todo: z.boolean(), logBytes: z.number() }),
])

/** One sync as the host's sync history recorded it (the app's and the schedule's). */
export const syncRunSchema = z.object({
  startedAt: shortText,
  endedAt: shortText,
  outcome: z.enum(['ok', 'failed', 'cancelled', 'skipped']),
  exitCode: z.number().nullable(),
  serial: z.number().nullable(),
  trigger: z.enum(['app', 'schedule', 'unknown']),
})

export const mirrorFiguresSchema = z.object({
  projects: z.number(),
  files: z.number(),
  bytesOnDisk: z.number(),
  disk: z.object({ freeBytes: z.number(), totalBytes: z.number(), mount: shortText }).nullable(),
  serial: z.number().nullable(),
  lastSyncedAt: shortText.nullable(),
  sync: syncStateSchema,
  progress: z
    .object({ done: z.number(), total: z.number().nullable(), lastLine: shortText })
    .nullable(),
  lastRun: syncRunSchema.nullable(),
  nginx: z.object({ installed: z.boolean(), running: z.boolean() }),
})

export const workerHealthSchema = z.object({
  label: shortText,
  host: shortText,
  workerDir: shortText,
  pipMirror: shortText,
  configuredPipMirror: shortText.nullable(),
  ssh: healthCheckSchema,
  http: healthCheckSchema,
  config: healthCheckSchema,
  arrow: healthCheckSchema,
})

/** The picture: mirror host → nginx URL → each worker, a dot on each arrow. */
export const siteHealthViewSchema = z.object({
  checkedAt: shortText,
  mirrorUrl: shortText,
  mirror: z.object({
    host: shortText,
    url: shortText,
    ssh: healthCheckSchema,
    http: healthCheckSchema,
    nginx: healthCheckSchema,
    figures: mirrorFiguresSchema.nullable(),
    targets: z.object({ matrix: targetMatrixSchema.nullable(), error: shortText.nullable() }),
  }),
  serveArrow: healthCheckSchema,
  sync: healthCheckSchema,
  workers: z.array(workerHealthSchema),
})

/** A saved site as the dashboard shows it, with the command that runs it without the app. */
export const dashboardSiteSchema = z.object({
  id: siteIdSchema,
  file: shortText,
  site: siteSchema,
  /** `pip-mirror apply --site <file>`, quoted by the engine, for a terminal or a cron job. */
  cliCommand: shortText,
})

/** What an action would do, shown before it runs. */
export const actionPlanViewSchema = z.object({
  action: dashboardActionIdSchema,
  title: shortText,
  host: shortText,
  steps: z.array(
    z.object({
      id: shortText,
      title: shortText,
      changes: z.array(changeViewSchema),
      notes: z.array(z.string().max(200_000)),
    }),
  ),
  changeCount: z.number(),
  /** The exact paths the action deletes (removing the mirror); empty for the others. */
  deletes: z.array(shortText),
  findings: z.array(findingSchema),
  error: errorViewSchema.nullable(),
  /** An update's pin diff and advisories; null for the other actions. */
  update: updatePlanViewSchema.nullable(),
  /** What a prune deletes; null for the other actions. */
  prune: pruneViewSchema.nullable(),
})

export const activeDashboardRunSchema = z.object({
  runId: shortText,
  siteId: siteIdSchema,
  action: dashboardActionIdSchema,
  title: shortText,
  startedAt: shortText,
})

/** How an applied action ended. */
export const dashboardRunRecordSchema = activeDashboardRunSchema.extend({
  status: runStatusSchema,
  error: errorViewSchema.nullable(),
  finishedAt: shortText,
  steps: z.array(
    z.object({
      id: shortText,
      status: stepOutcomeSchema,
      changes: z.number(),
    }),
  ),
  /** The run in the activity history. */
  historyId: shortText.nullable(),
})

export const scheduleStatusViewSchema = z.object({
  mechanism: z.enum(['systemd-timer', 'cron']),
  installed: z
    .object({
      mechanism: z.enum(['systemd-timer', 'cron']),
      schedule: scheduleSchema.nullable(),
      description: shortText,
      user: shortText.nullable(),
      files: z.array(shortText),
      current: z.boolean(),
      firing: z.boolean(),
    })
    .nullable(),
  cron: z.object({ path: shortText.nullable(), running: z.boolean() }).nullable(),
  lastRuns: z.array(syncRunSchema),
})

export type DashboardRequest = z.output<typeof dashboardRequestSchema>
export type DashboardRequestInput = z.input<typeof dashboardRequestSchema>
export type DashboardActionId = z.output<typeof dashboardActionIdSchema>
export type HealthCheckView = z.output<typeof healthCheckSchema>
export type SiteHealthView = z.output<typeof siteHealthViewSchema>
export type MirrorFiguresView = z.output<typeof mirrorFiguresSchema>
export type WorkerHealthView = z.output<typeof workerHealthSchema>
export type SyncRunView = z.output<typeof syncRunSchema>
export type DashboardSiteView = z.output<typeof dashboardSiteSchema>
export type ActionPlanView = z.output<typeof actionPlanViewSchema>
export type ActiveDashboardRun = z.output<typeof activeDashboardRunSchema>
export type DashboardRunRecord = z.output<typeof dashboardRunRecordSchema>
export type ScheduleStatusView = z.output<typeof scheduleStatusViewSchema>
