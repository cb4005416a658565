import { randomUUID } from 'node:crypto'
import { redactDeep, type Redact } from '../app-data/redact'
import type { SiteStore } from '../app-data/site-store'
import { actionPlanOf, type ActionPlan } from '../engine/actions/site-action'
import { auditMirror } from '../engine/audit/audit-mirror'
import { EngineError } from '../engine/errors'
import type { Connect } from '../engine/fleet'
import { siteHealth } from '../engine/health/site-health'
import { commandLine } from '../engine/remote/quote'
import type { RunMode } from '../engine/run'
import { readScheduleStatus } from '../engine/schedule/schedule-status'
import type { Site, SshTarget } from '#shared/site'
import type { RemoteHost } from '../engine/ssh/remote-host'
import type {
  ActionPlanView,
  ActiveDashboardRun,
  AuditReportView,
  DashboardRequest,
  DashboardRunRecord,
  DashboardSiteView,
  RunStartOutcome,
  ScheduleStatusView,
  SessionEventInput,
  SiteHealthView,
} from '#shared/ipc/contract'
import { auditReportView } from './audit-views'
import { dashboardJob, type DashboardJob } from './dashboard-job'
import { actionPlanView, scheduleStatusView, siteHealthView } from './dashboard-views'
import { errorViewOf, runEventView } from './engine-views'
import type { HostJob, JobInfo, JobResult } from './jobs/job'
import { invalidRequest, type JobRunner } from './jobs/job-runner'
import { ShownPlans } from './jobs/shown-plans'
import { hostLabel } from './site-draft'

export interface SiteDashboardDeps {
  sites: SiteStore
  runner: JobRunner
  /** Refuses unless the site is the open one (its connection is the session's). */
  requireOpen(siteId: string): Promise<void>
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

type SiteRequest = { siteId: string }
type DashboardInfo = Extract<JobInfo, { kind: 'dashboard' }>
type ActionRequest = { siteId: string; request: DashboardRequest }

/**
 * A saved site's dashboard, Electron-free: the picture's health, the schedule, and the actions,
 * each a job of the session's runner, planned first (touching nothing) and then applied as a run
 * the page follows live.
 */
export class SiteDashboard {
  /** The plan each site's page shows now (for the request it was made for): what "apply" executes. */
  private readonly shownPlans = new ShownPlans()

  constructor(private readonly deps: SiteDashboardDeps) {}

  async site({ siteId }: SiteRequest): Promise<DashboardSiteView> {
    const site = await this.load(siteId)
    const file = this.deps.sites.fileOf(siteId)
    return {
      id: siteId,
      file,
      site,
      cliCommand: commandLine(['pip-mirror', 'apply', '--site', file]),
    }
  }

  /** Every host of the site; one that cannot be reached is a red dot with the reason. */
  async health({ siteId }: SiteRequest): Promise<SiteHealthView> {
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
  async audit({ siteId }: SiteRequest): Promise<AuditReportView> {
    const site = await this.load(siteId)
    const report = await auditMirror(this.requireHost(site), site)
    return redactDeep(auditReportView(report), this.deps.redact())
  }

  async scheduleStatus({ siteId }: SiteRequest): Promise<ScheduleStatusView> {
    const site = await this.load(siteId)
    const status = await readScheduleStatus(this.requireHost(site), site)
    return redactDeep(scheduleStatusView(status), this.deps.redact())
  }

  /** What the action would do; a request that cannot be planned comes back with its error. */
  async plan({ siteId, request }: ActionRequest): Promise<ActionPlanView> {
    const site = await this.load(siteId)
    const host = this.requireHost(site)
    let action: DashboardJob
    try {
      action = dashboardJob(site, request)
    } catch (error) {
      const placeholder = { action: request.action, title: ACTION_TITLES[request.action] }
      return actionPlanView(placeholder, host.label, null, invalidRequest(error))
    }
    const job = this.job(siteId, host, action, request, 'plan', randomUUID())
    const started = this.deps.runner.start(job, 'plan', undefined, job.runId)
    if (started.kind === 'refused') return actionPlanView(action, host.label, null, started.error)
    const result = await started.done
    const plan = result.summary?.plan
    const planned: ActionPlan | null = plan
      ? actionPlanOf({ ...action, id: action.action }, plan)
      : null
    const failure = !planned && result.error ? errorViewOf(result.error) : null
    return redactDeep(actionPlanView(action, host.label, planned, failure), this.deps.redact())
  }

  /** Starts the action as a run; its events go to the page, then `dashboard-finished`. */
  async apply({ siteId, request }: ActionRequest): Promise<RunStartOutcome> {
    await this.deps.requireOpen(siteId)
    let host: RemoteHost
    let action: DashboardJob
    try {
      const site = await this.load(siteId)
      host = this.requireHost(site)
      action = dashboardJob(site, request)
    } catch (error) {
      return { kind: 'refused', error: invalidRequest(error) }
    }
    const runId = randomUUID()
    const job = this.job(siteId, host, action, request, 'apply', runId)
    const started = this.deps.runner.start(
      job,
      'apply',
      (result) =>
        this.deps.send({ kind: 'dashboard-finished', record: runRecord(job.info, result) }),
      runId,
    )
    return started.kind === 'started' ? { kind: 'started', runId: started.runId } : started
  }

  /** The action under way, for a page that reloads in the middle of it. */
  activeRun(): ActiveDashboardRun | null {
    for (const { runId, info } of this.deps.runner.running())
      if (info.kind === 'dashboard' && info.mode === 'apply') {
        const { siteId, action, title, startedAt } = info
        return { runId, siteId, action, title, startedAt }
      }
    return null
  }

  /** A dashboard action as a job: the page follows an apply live; a plan is its answer. */
  private job(
    siteId: string,
    host: RemoteHost,
    action: DashboardJob,
    request: DashboardRequest,
    mode: RunMode,
    runId: string,
  ): HostJob & { info: DashboardInfo; runId: string } {
    const { action: id, title, site, steps, from, to, precondition } = action
    const startedAt = new Date().toISOString()
    const info = { kind: 'dashboard', siteId, action: id, title, mode, startedAt } as const
    return {
      kind: 'host',
      runId,
      info,
      site,
      host,
      steps,
      from,
      to,
      precondition,
      history: { face: 'dashboard', action: id, site: siteId },
      shown: { plans: this.shownPlans, key: siteId, request: planKey(request) },
      unplanned: 'refuse',
      stream: (event) => {
        if (mode === 'apply')
          this.deps.send({
            kind: 'dashboard-event',
            runId,
            siteId,
            event: runEventView(event),
          })
      },
      // Adding packages changes the saved site once they are mirrored: the session follows.
      after: async (run, result) => {
        if (id === 'add-packages' && run.mode === 'apply' && succeeded(result))
          await this.saveSite(siteId, site)
      },
    }
  }
  private async saveSite(siteId: string, site: Site): Promise<void> {
    await this.deps.sites.save(site, { id: siteId })
    await this.deps.siteChanged(siteId, site)
  }

  /** Requests name their site: it must be the open one (its connection is the session's). */
  private async load(siteId: string): Promise<Site> {
    await this.deps.requireOpen(siteId)
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
 * What a plan was made for: the request without what only confirms the plan on show, the typed
 * host name of a removal (checked before it runs) and the digest of the update or prune the
 * operator saw (checked when planning); neither changes what the plan would do.
 */
function planKey(request: DashboardRequest): string {
  const {
    confirmHost: _confirm,
    expectDigest: _digest,
    ...planned
  } = request as DashboardRequest & { confirmHost?: unknown; expectDigest?: unknown }
  return JSON.stringify(planned)
}

const succeeded = (result: JobResult): boolean =>
  result.status === 'ok' || result.status === 'changed'

/** How an applied action ended, for the page. */
function runRecord(info: DashboardInfo, result: JobResult): DashboardRunRecord {
  const { siteId, action, title, startedAt } = info
  return {
    runId: result.runId,
    siteId,
    action,
    title,
    startedAt,
    status: result.status,
    error: result.error ? errorViewOf(result.error) : null,
    steps: (result.summary?.steps ?? []).filter((step) => step.status !== 'skipped'),
    finishedAt: new Date().toISOString(),
    historyId: result.historyId,
  }
}
