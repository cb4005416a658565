import type { HistoryStore } from '../app-data/history-store'
import { redactDeep, type Redact } from '../app-data/redact'
import type { SiteStore } from '../app-data/site-store'
import { EngineError } from '../engine/errors'
import type { Connect } from '../engine/fleet'
import { siteHealth } from '../engine/health/site-health'
import { commandLine } from '../engine/remote/quote'
import { readScheduleStatus } from '../engine/schedule/schedule-status'
import type { Site, SshTarget } from '#shared/site'
import type { RemoteHost } from '../engine/ssh/remote-host'
import { auditMirror } from '../engine/audit/audit-mirror'
import { auditReportView } from './audit-views'
import type {
  ActionPlanView,
  AuditReportView,
  ActiveDashboardRun,
  DashboardRequest,
  DashboardRunRecord,
  DashboardSiteView,
  ErrorView,
  RunStartOutcome,
  ScheduleStatusView,
  SessionEventInput,
  SiteHealthView,
} from '#shared/ipc/contract'
import { applyAction, planAction, type ActionPlan } from '../engine/actions/site-action'
import type { HostPlan } from '../engine/plan/host-plan'
import { dashboardJob, type DashboardJob } from './dashboard-job'
import { actionPlanView, scheduleStatusView, siteHealthView } from './dashboard-views'
import { errorView, errorViewOf, runEventView } from './engine-views'
import type { RunRegistry } from './run-registry'
import { busyRefusal } from './run-registry'
import { hostLabel } from './site-draft'

export interface SiteDashboardDeps {
  sites: SiteStore
  history: HistoryStore
  registry: RunRegistry
  /** The session's open connection to a host, if there is one. */
  connected(target: SshTarget): RemoteHost | undefined
  /** Opens a connection with the held secrets, trusting only keys already trusted. */
  open: Connect
  send(event: SessionEventInput): void
  /** An action changed the saved site (adding packages): the session follows. */
  siteChanged(siteId: string, site: Site): Promise<void>
  /** Removes the secrets the session knows from what goes back to the page. */
  redact(): Redact
}

const ACTION_TITLES: Record<DashboardRequest['action'], string> = {
  'sync-now': 'Sync now',
  'add-packages': 'Add packages',
  'repair-permissions': 'Repair permissions',
  'restart-nginx': 'Restart nginx',
  'update-bandersnatch': 'Update bandersnatch',
  'remove-mirror': 'Remove the mirror',
  'set-schedule': 'Schedule syncs',
  'remove-schedule': 'Remove the sync schedule',
  update: 'Update pins',
  prune: 'Prune releases no longer pinned',
}

/**
 * A saved site's dashboard, Electron-free: the picture's health, the schedule, and the actions,
 * each planned first (touching nothing) and then applied as a run the page follows live. Every
 * plan and every run is recorded in the activity history.
 */
export class SiteDashboard {
  /** The plan each site's page shows now, per action request: what "apply" executes. */
  private readonly shownPlans = new Map<string, { request: string; plan: HostPlan }>()

  constructor(private readonly deps: SiteDashboardDeps) {}

  async site(siteId: string): Promise<DashboardSiteView> {
    const file = this.deps.sites.fileOf(siteId)
    return {
      id: siteId,
      file,
      site: await this.load(siteId),
      cliCommand: commandLine(['pip-mirror', 'apply', '--site', file]),
    }
  }

  /** Every host of the site; one that cannot be reached is a red dot with the reason. */
  async health(siteId: string): Promise<SiteHealthView> {
    const site = await this.load(siteId)
    const mirror = this.deps.connected(site.mirror.ssh)
    const mirrorLabel = hostLabel(site.mirror.ssh)
    const health = await siteHealth(
      site,
      (target) =>
        mirror && hostLabel(target) === mirrorLabel
          ? Promise.resolve(mirror)
          : this.deps.open(target),
      { release: (host) => (host === mirror ? undefined : host.close()) },
    )
    return redactDeep(siteHealthView(health), this.deps.redact())
  }

  /** What the mirror serves, checked (reads only): hashes, yanks, licences, advisories. */
  async audit(siteId: string): Promise<AuditReportView> {
    const site = await this.load(siteId)
    const report = await auditMirror(this.requireHost(site), site)
    return redactDeep(auditReportView(report), this.deps.redact())
  }

  async scheduleStatus(siteId: string): Promise<ScheduleStatusView> {
    const site = await this.load(siteId)
    const status = await readScheduleStatus(this.requireHost(site), site)
    return redactDeep(scheduleStatusView(status), this.deps.redact())
  }

  /** What the action would do; a request that cannot be planned comes back with its error. */
  async plan(siteId: string, request: DashboardRequest): Promise<ActionPlanView> {
    const site = await this.load(siteId)
    const host = this.requireHost(site)
    let job: DashboardJob
    try {
      job = dashboardJob(site, request)
    } catch (error) {
      const placeholder = {
        action: request.action,
        title: ACTION_TITLES[request.action],
        site,
        steps: [],
      }
      return actionPlanView(placeholder, host.label, null, invalidRequest(error))
    }
    const recording = this.deps.history.record({
      face: 'dashboard',
      action: job.action,
      host: host.label,
      site: siteId,
    })
    let planned: ActionPlan | null = null
    let failure: ErrorView | null = null
    try {
      planned = await planAction(
        host,
        { ...job, id: job.action },
        {
          emit: (event) => recording.emit(event),
        },
      )
      if (!planned.error)
        this.shownPlans.set(siteId, { request: planKey(request), plan: planned.plan })
    } catch (error) {
      failure = errorView(error)
    }
    await recording
      .finish(failure ? { status: 'failed', error: failure.message } : {})
      .catch((error: unknown) => console.error('Could not record the plan:', error))
    return redactDeep(actionPlanView(job, host.label, planned, failure), this.deps.redact())
  }

  /** Starts the action as a run; its events go to the page, then `dashboard-finished`. */
  async apply(siteId: string, request: DashboardRequest): Promise<RunStartOutcome> {
    let host: RemoteHost
    let job: DashboardJob
    try {
      const site = await this.load(siteId)
      host = this.requireHost(site)
      job = dashboardJob(site, request)
      job.precondition?.()
    } catch (error) {
      return { kind: 'refused', error: invalidRequest(error) }
    }
    const shown = this.shownPlans.get(siteId)
    if (!shown || shown.request !== planKey(request))
      return {
        kind: 'refused',
        error: {
          message: 'This action has no plan on the page yet: nothing was run',
          hint: 'plan it, read what it will change, then apply that plan',
          code: 'no-plan',
        },
      }
    this.shownPlans.delete(siteId)
    const plan = shown.plan
    const info = {
      kind: 'dashboard' as const,
      siteId,
      action: job.action,
      title: job.title,
      startedAt: new Date().toISOString(),
    }
    const started = this.deps.registry.start(
      host.label,
      info,
      (runId, signal) => this.execute({ runId, ...info }, host, job, plan, signal),
      (record) => this.deps.send({ kind: 'dashboard-finished', record }),
    )
    if ('busy' in started)
      return busyRefusal(
        started.busy.info,
        host.label,
        'wait for it to finish (or stop following it), then try again',
      )
    return { kind: 'started', runId: started.runId }
  }

  /** The action under way, for a page that reloads in the middle of it. */
  activeRun(): ActiveDashboardRun | null {
    for (const run of this.deps.registry.all())
      if (run.info.kind === 'dashboard') {
        const { kind: _kind, ...info } = run.info
        return { runId: run.runId, ...info }
      }
    return null
  }

  private async execute(
    base: ActiveDashboardRun,
    host: RemoteHost,
    job: DashboardJob,
    plan: HostPlan,
    signal: AbortSignal,
  ): Promise<DashboardRunRecord> {
    const recording = this.deps.history.record({
      face: 'dashboard',
      action: job.action,
      host: host.label,
      site: base.siteId,
    })
    let outcome: Pick<DashboardRunRecord, 'status' | 'error' | 'steps'>
    try {
      const { summary } = await applyAction(
        host,
        { ...job, id: job.action },
        {
          plan,
          emit: (event) => {
            recording.emit(event)
            this.deps.send({
              kind: 'dashboard-event',
              runId: base.runId,
              siteId: base.siteId,
              event: runEventView(event),
            })
          },
          signal,
        },
      )
      outcome = {
        status: summary.status,
        error: summary.failure ? errorViewOf(summary.failure) : null,
        steps: summary.steps.filter((step) => step.status !== 'skipped'),
      }
      if (
        job.action === 'add-packages' &&
        (summary.status === 'ok' || summary.status === 'changed')
      )
        await this.saveSite(base.siteId, job.site)
    } catch (error) {
      outcome = {
        status: signal.aborted ? 'cancelled' : 'failed',
        error: errorView(error),
        steps: [],
      }
    }
    const recorded = await recording
      .finish(
        outcome.status === 'failed' || outcome.status === 'cancelled'
          ? { status: outcome.status, error: outcome.error?.message ?? null }
          : {},
      )
      .catch((error: unknown) => {
        console.error('Could not record the run:', error)
        return null
      })
    return {
      ...base,
      ...outcome,
      finishedAt: new Date().toISOString(),
      historyId: recorded?.id ?? null,
    }
  }

  private async saveSite(siteId: string, site: Site): Promise<void> {
    await this.deps.sites.save(site, { id: siteId })
    await this.deps.siteChanged(siteId, site)
  }

  private load(siteId: string): Promise<Site> {
    return this.deps.sites.load(siteId)
  }

  private requireHost(site: Site): RemoteHost {
    const host = this.deps.connected(site.mirror.ssh)
    if (!host)
      throw new EngineError(`Not connected to ${hostLabel(site.mirror.ssh)}`, {
        hint: 'connect to the mirror host (the button on the dashboard), then try again',
      })
    return host
  }
}

/**
 * What a plan was made for: the request without the typed host name, which confirms a removal
 * (checked before it runs) but changes nothing in what it would do.
 */
/**
 * What a plan is for: the request without what only the apply adds (the typed host name, the
 * digest of the pin diff or the deletions the page showed, which the plan on show already fixes).
 */
function planKey(request: DashboardRequest): string {
  const {
    confirmHost: _confirm,
    expectDigest: _digest,
    ...planned
  } = request as DashboardRequest & { confirmHost?: unknown; expectDigest?: unknown }
  return JSON.stringify(planned)
}

/** A request the engine refused before touching anything: the message names the field. */
function invalidRequest(error: unknown): ErrorView {
  const view = errorView(error)
  return view.hint ? view : { ...view, hint: 'correct what the message names, then try again' }
}
