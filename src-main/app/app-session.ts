import { join } from 'node:path'
import { HistoryStore } from '../app-data/history-store'
import { redactDeep } from '../app-data/redact'
import { SiteStore } from '../app-data/site-store'
import { WizardProgressStore } from './wizard-progress'
import { EngineError } from '../engine/errors'
import type { SessionEvent, SessionSnapshot, SiteListView } from '#shared/ipc/contract'
import type { OpenHost } from './host-connections'
import { JobRunner } from './jobs/job-runner'
import { KnownSecrets } from './known-secrets'
import { interruptedWizard, type WizardStores } from './open-wizard'
import { commandLineOf } from './recorded-commands'
import { MemorySecretStore, type SecretStore } from './secret-store'
import { SessionConnections } from './session-connections'
import { SessionEvents } from './session-events'
import { SiteDashboard } from './site-dashboard'
import { SiteLibrary } from './site-library'
import { StageRuns } from './stage-runs'
import { WizardSession } from './wizard-session'

export interface AppSessionOptions {
  /** Where sites, wizard progress, history and known_hosts live (Electron's userData; a temp dir in tests). */
  dataDir: string
  /** Sends a session event to the page (already checked against the contract). */
  emit: (event: SessionEvent) => void
  secrets?: SecretStore
  /** The operator's OpenSSH client config, whose hosts the Connect page offers. */
  sshConfigPath?: string
  /** Opens an SSH connection (RemoteHost.connect unless a test says otherwise). */
  openHost?: OpenHost
}

/**
 * The desktop app's main-process state, free of Electron, opened once (`AppSession.open`). One
 * site is open at a time. Its parts, each with one responsibility:
 * - `wizard`: the open setup's progress (saved per site in the data directory);
 * - `connections`: the SSH connections to its hosts, their secrets and host keys;
 * - `runner`: the one job runner every run goes through (one run at a time per host), with
 *   `stages` (the wizard's pages) and `dashboard` (a saved site's actions) as its callers;
 * - `events`: what goes to the page, checked against the contract and freed of every secret.
 * The saved sites (the JSON the CLI reads) and the activity history hang off it.
 */
export class AppSession {
  readonly knownHostsPath: string
  readonly events: SessionEvents
  readonly wizard: WizardSession
  readonly connections: SessionConnections
  readonly runner: JobRunner
  readonly stages: StageRuns
  readonly dashboard: SiteDashboard
  readonly sites: SiteLibrary
  readonly history: HistoryStore
  private readonly secrets: KnownSecrets

  /** Opens the session on the setup whose run was under way when the app last closed, if any. */
  static async open(options: AppSessionOptions): Promise<AppSession> {
    const stores: WizardStores = {
      sites: new SiteStore(options.dataDir),
      progress: new WizardProgressStore(options.dataDir),
    }
    return new AppSession(options, stores, await interruptedWizard(stores))
  }

  private constructor(
    private readonly options: AppSessionOptions,
    stores: WizardStores,
    interrupted: Awaited<ReturnType<typeof interruptedWizard>>,
  ) {
    this.knownHostsPath = join(options.dataDir, 'known_hosts')
    const secrets = new KnownSecrets(options.secrets ?? new MemorySecretStore())
    this.secrets = secrets
    this.events = new SessionEvents(options.emit, () => secrets.redact)
    this.wizard = new WizardSession(stores, secrets, this.events, interrupted ?? undefined)
    this.connections = new SessionConnections({
      knownHostsPath: this.knownHostsPath,
      secrets,
      wizard: this.wizard,
      events: this.events,
      sshConfigPath: options.sshConfigPath,
      openHost: options.openHost,
    })
    this.history = new HistoryStore(options.dataDir, () => secrets.values())
    this.runner = new JobRunner(this.history)
    this.stages = new StageRuns(this.runner, this.wizard, this.connections, this.events)
    this.sites = new SiteLibrary(stores)
    this.dashboard = new SiteDashboard({
      sites: stores.sites,
      runner: this.runner,
      requireOpen: (siteId) => this.requireOpenSite(siteId),
      connected: (target) => this.connections.connected(target),
      open: this.connections.openWorker,
      send: (event) => this.events.send(event),
      siteChanged: (siteId, site) => this.wizard.savedSiteChanged(siteId, site),
      redact: () => secrets.redact,
    })
  }

  /** Everything the page needs to show where the operator was, after a start or a reload. */
  async snapshot(): Promise<SessionSnapshot> {
    const { progress, key, siteId } = this.wizard.current
    const active = this.stages.activeRun()
    const persisted = progress.activeRun
    const snapshot: SessionSnapshot = {
      wizard: progress.wizard,
      site: progress.site,
      connection: await this.connections.view(),
      secretsCanPersist: this.secrets.canPersist,
      stages: progress.stages,
      activeRun: active,
      interruptedRun: persisted && persisted.runId !== active?.runId ? persisted : null,
      commands: progress.actions.flatMap((action) => {
        const view = commandLineOf(action)
        return view ? [view] : []
      }),
      mirrorUrl: this.wizard.mirrorUrl(),
      dataDir: this.options.dataDir,
      wizardKey: key,
      siteId,
      dashboardRun: this.dashboard.activeRun(),
    }
    return redactDeep(snapshot, this.secrets.redact)
  }

  /**
   * Makes a saved site (its id) or an unsaved setup (its key) the open one; null opens a new,
   * empty one. Refused while a wizard run is under way: its results belong to the open setup.
   */
  async openSite({ siteId: id }: { siteId: string | null }): Promise<SessionSnapshot> {
    if (id === null || !this.wizard.isOpen(id)) {
      const busy = this.stages.activeRun()
      if (busy)
        throw new EngineError(`A ${busy.stage} run is under way for this setup`, {
          hint: 'wait for it to finish (or stop following it), then open the other site',
        })
      await this.wizard.switchTo(id)
      this.connections.forgetPending()
      await this.connections.announce()
    }
    return this.snapshot()
  }

  /** Forgets a saved site or an unsaved setup (nothing changes on any host). */
  async forgetSite({ siteId: id }: { siteId: string }): Promise<SiteListView> {
    if (this.wizard.isOpen(id)) await this.openSite({ siteId: null })
    return this.sites.forget(id)
  }

  /** Dashboard requests name their site: it must be the open one (its connection is the session's). */
  async requireOpenSite(siteId: string): Promise<void> {
    if (this.wizard.current.siteId !== siteId)
      throw new EngineError(`The site "${siteId}" is not the one open`, {
        hint: 'open it from the list of sites first',
      })
  }

  /** Stops following every run and closes every connection; syncs go on on their hosts. */
  async dispose(): Promise<void> {
    this.events.close()
    const stopping = this.runner.stopAll()
    this.connections.closeAll()
    await stopping
    await this.wizard.flush()
  }
}
