import { z } from 'zod'
import { sshTargetSchema, workerSchema } from '../site'
import type { EventChannel, InvokeChannel } from './channels'
import {
  actionPlanViewSchema,
  dashboardRequestSchema,
  dashboardSiteSchema,
  scheduleStatusViewSchema,
  siteHealthViewSchema,
  siteIdSchema,
} from './dashboard-schemas'
import { runModeSchema } from './engine-schemas'
import { auditReportViewSchema } from './audit-schemas'
import {
  historyExportSchema,
  historyQuerySchema,
  historyRunSchema,
  historySummarySchema,
} from './history-schemas'
import {
  connectionViewSchema,
  connectOutcomeSchema,
  runStartOutcomeSchema,
  secretsInputSchema,
  sessionEventSchema,
  sessionSnapshotSchema,
  siteDraftPatchSchema,
  siteDraftSchema,
  sshConfigHostSchema,
  stageIdSchema,
  wizardStepIdSchema,
  workerAddOutcomeSchema,
} from './session-schemas'
import { savedSiteViewSchema, siteImportReviewSchema, siteListSchema } from './sites-schemas'

/**
 * The whole API between the renderer and the main process, defined once. The preload, the IPC
 * registration, the handlers, the renderer and the end-to-end harness all take their types from
 * here. No Electron or Node imports: this file is compiled for the renderer too.
 */

export type { EventChannel, InvokeChannel } from './channels'
export type * from './audit-schemas'
export type * from './dashboard-schemas'
export type * from './engine-schemas'
export type * from './history-schemas'
export type * from './session-schemas'
export type * from './sites-schemas'

interface InvokeSpec {
  request: z.ZodType
  response: z.ZodType
}

/** Requests are validated before a handler runs; responses before they leave the main process. */
export const invokeContract = {
  'app:version': {
    request: z.undefined(),
    response: z.string(),
  },
  /** Everything the page needs to show where the operator was, after a start or a reload. */
  'session:restore': { request: z.undefined(), response: sessionSnapshotSchema },
  'wizard:save-progress': {
    request: z.strictObject({
      step: wizardStepIdSchema,
      completed: z.array(wizardStepIdSchema).max(20),
    }),
    response: sessionSnapshotSchema.shape.wizard,
  },
  'site:update': {
    request: siteDraftPatchSchema,
    response: z.object({ site: siteDraftSchema, mirrorUrl: z.string().nullable() }),
  },
  /** Hosts named in ~/.ssh/config, offered on the Connect page. */
  'ssh:config-hosts': { request: z.undefined(), response: z.array(sshConfigHostSchema) },
  'dialog:pick-key-file': {
    request: z.undefined(),
    response: z.object({ path: z.string().nullable() }),
  },
  /** Secrets travel here once, from the form to main; no response ever carries them back. */
  'host:connect': {
    request: z.strictObject({
      target: sshTargetSchema,
      secrets: secretsInputSchema,
      remember: z.boolean(),
    }),
    response: connectOutcomeSchema,
  },
  /** The operator confirmed this fingerprint, just shown for the pending connection. */
  'host:trust': {
    request: z.strictObject({ fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/) }),
    response: connectOutcomeSchema,
  },
  /** Connects again to the saved host with the secrets main still holds. */
  'host:reconnect': { request: z.undefined(), response: connectOutcomeSchema },
  'host:disconnect': { request: z.undefined(), response: connectionViewSchema },
  /** Checks that a worker host answers and its key is trusted, then adds it to the site. */
  'worker:add': {
    request: z.strictObject({
      worker: workerSchema,
      secrets: secretsInputSchema,
      remember: z.boolean(),
    }),
    response: workerAddOutcomeSchema,
  },
  'worker:trust': {
    request: z.strictObject({ fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/) }),
    response: workerAddOutcomeSchema,
  },
  /** Removes a worker from the site (by its label); nothing is changed on the host. */
  'worker:remove': {
    request: z.strictObject({ label: z.string().max(400) }),
    response: siteDraftSchema,
  },
  /** Starts a stage; its events follow on `session:event`, ending with `run-finished`. */
  'run:start': {
    request: z.strictObject({ stage: stageIdSchema, mode: runModeSchema }),
    response: runStartOutcomeSchema,
  },
  /** Stops following a run; a sync goes on running on the host. */
  'run:stop': {
    request: z.strictObject({ runId: z.string().max(100) }),
    response: z.object({ stopped: z.boolean() }),
  },
  /** Stops bandersnatch itself on the host; the next mirror run resumes from its todo list. */
  'sync:cancel': { request: z.undefined(), response: z.object({ stopped: z.boolean() }) },
  /** Everything that ran, as a shell script (built in main from what the engine ran). */
  'export:script': {
    request: z.undefined(),
    response: z.object({ text: z.string(), fileName: z.string() }),
  },
  'export:save-script': {
    request: z.undefined(),
    response: z.object({ savedTo: z.string().nullable() }),
  },
  'clipboard:write-text': {
    request: z.strictObject({ text: z.string().max(1_000_000) }),
    response: z.null(),
  },
  /** The start screen: saved sites (with where their setup stopped) and unsaved setups. */
  'sites:list': { request: z.undefined(), response: siteListSchema },
  /**
   * Makes a saved site (or an unsaved setup, by its key) the one the wizard, the connection and
   * the dashboard work on; `null` starts a new site.
   */
  'site:open': {
    request: z.strictObject({ siteId: siteIdSchema.nullable() }),
    response: sessionSnapshotSchema,
  },
  /**
   * Asks for a site file (a native dialog) and reads it as the CLI does. A new site is saved at
   * once (`site`); one that would replace a saved site comes back as a `review` to confirm.
   */
  'sites:import': {
    request: z.undefined(),
    response: z.object({
      site: savedSiteViewSchema.nullable(),
      review: siteImportReviewSchema.nullable(),
    }),
  },
  /** Saves the reviewed site over the saved one: exactly the site the review showed. */
  'sites:import-confirm': {
    request: z.strictObject({ token: z.string().max(200) }),
    response: z.object({ site: savedSiteViewSchema }),
  },
  /** Writes a saved site's file where the operator chooses (the JSON `pip-mirror` reads). */
  'sites:export': {
    request: z.strictObject({ siteId: siteIdSchema }),
    response: z.object({ savedTo: z.string().nullable() }),
  },
  /** Forgets a saved site or an unsaved setup; nothing changes on any host. */
  'sites:forget': {
    request: z.strictObject({ siteId: siteIdSchema }),
    response: siteListSchema,
  },
  'dashboard:site': {
    request: z.strictObject({ siteId: siteIdSchema }),
    response: dashboardSiteSchema,
  },
  /** Reads every host of the site: the picture's dots and the mirror's figures. */
  'dashboard:health': {
    request: z.strictObject({ siteId: siteIdSchema }),
    response: siteHealthViewSchema,
  },
  /** What an action would do, touching nothing. */
  'dashboard:plan': {
    request: z.strictObject({ siteId: siteIdSchema, request: dashboardRequestSchema }),
    response: actionPlanViewSchema,
  },
  /** Starts an action; its events follow on `session:event`, ending with `dashboard-finished`. */
  'dashboard:apply': {
    request: z.strictObject({ siteId: siteIdSchema, request: dashboardRequestSchema }),
    response: runStartOutcomeSchema,
  },
  /**
   * Audits what the mirror serves (hashes on the host, the upstream's JSON API from the host):
   * reads only.
   */
  'dashboard:audit': {
    request: z.strictObject({ siteId: siteIdSchema }),
    response: auditReportViewSchema,
  },
  'schedule:status': {
    request: z.strictObject({ siteId: siteIdSchema }),
    response: scheduleStatusViewSchema,
  },
  'history:list': {
    request: historyQuerySchema,
    response: z.object({ runs: z.array(historySummarySchema) }),
  },
  'history:get': {
    request: z.strictObject({ id: z.string().max(100) }),
    response: historyRunSchema.nullable(),
  },
  /** Writes the runs as one file (text or JSON) where the operator chooses, for a ticket. */
  'history:export': {
    request: historyExportSchema,
    response: z.object({ savedTo: z.string().nullable() }),
  },
} as const satisfies Record<InvokeChannel, InvokeSpec>

export const eventContract = {
  'session:event': sessionEventSchema,
} as const satisfies Record<EventChannel, z.ZodType>

type RequestSchema<C extends InvokeChannel> = (typeof invokeContract)[C]['request']
type ResponseSchema<C extends InvokeChannel> = (typeof invokeContract)[C]['response']

/** What the renderer sends. */
export type InvokeRequestInput<C extends InvokeChannel> = z.input<RequestSchema<C>>
/** What a handler receives, after validation. */
export type InvokeRequest<C extends InvokeChannel> = z.output<RequestSchema<C>>
export type InvokeResponse<C extends InvokeChannel> = z.output<ResponseSchema<C>>
export type EventPayload<C extends EventChannel> = z.output<(typeof eventContract)[C]>

/** Channels without a request take no argument; all others take exactly one. */
export type InvokeArgs<C extends InvokeChannel> =
  undefined extends InvokeRequestInput<C>
    ? [request?: InvokeRequestInput<C>]
    : [request: InvokeRequestInput<C>]

export type IpcFailureCode =
  'unknown-channel' | 'forbidden-sender' | 'invalid-request' | 'invalid-response' | 'handler-failed'

/**
 * Failures travel as data: Electron would flatten a thrown error into one prefixed string. A
 * handler's error keeps what the engine said to do next (`hint`) and the engine's own code.
 */
export interface IpcFailure {
  code: IpcFailureCode
  channel: string
  message: string
  hint?: string
  errorCode?: string
}

export type InvokeResult<C extends InvokeChannel> =
  { ok: true; value: InvokeResponse<C> } | { ok: false; error: IpcFailure }

/** The one object the preload exposes as `window.pipMirror`. */
export interface PipMirrorBridge {
  invoke<C extends InvokeChannel>(channel: C, ...args: InvokeArgs<C>): Promise<InvokeResult<C>>
  on<C extends EventChannel>(channel: C, listener: (payload: EventPayload<C>) => void): () => void
}

/** The main-process side: one async function per invoke channel. */
export type InvokeHandlers = {
  [C in InvokeChannel]: (request: InvokeRequest<C>) => Promise<InvokeResponse<C>>
}

export type EmitEvent = <C extends EventChannel>(channel: C, payload: EventPayload<C>) => void
