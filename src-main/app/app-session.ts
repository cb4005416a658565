import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { HistoryStore } from '../app-data/history-store'
import { MAX_RECORDED_ACTIONS, type RecordedAction } from '../app-data/recorded-action'
import { redactDeep } from '../app-data/redact'
import { SiteStore } from '../app-data/site-store'
import { WizardProgressStore } from './wizard-progress'
import { EngineError } from '../engine/errors'
import { mirrorUrl, type Site, type SshTarget, type WorkerSite } from '#shared/site'
import { workerLabel } from '../engine/workers'
import type { RemoteHost } from '../engine/ssh/remote-host'
import { mirrorLayout } from '../engine/steps/mirror-layout'
import { cancelSync } from '../engine/sync/sync-job'
import type {
  ConnectionView,
  ConnectOutcome,
  RunMode,
  RunStartOutcome,
  SecretsInput,
  SessionEvent,
  SessionEventInput,
  SessionSnapshot,
  SiteDraft,
  SiteDraftPatch,
  SshConfigHost,
  StageId,
  WorkerAddOutcome,
  WizardStepId,
} from '#shared/ipc/contract'
import { sessionEventSchema } from '#shared/ipc/session-schemas'
import { errorView } from './engine-views'
import { HostConnections, type ConnectResult, type OpenHost } from './host-connections'
import { keyQuestion } from './key-question'
import { KnownSecrets } from './known-secrets'
import {
  interruptedWizard,
  newWizard,
  openWizard,
  type OpenWizard,
  type WizardStores,
} from './open-wizard'
import { commandLineOf } from './recorded-commands'
import { busyRefusal, RunRegistry } from './run-registry'
import {
  hasAnySecret,
  MemorySecretStore,
  nonEmptySecrets,
  type HostSecrets,
  type SecretStore,
} from './secret-store'
import { renderShellScript } from './shell-script'
import { SiteDashboard } from './site-dashboard'
import {
  applyDraftPatch,
  draftFromSite,
  hostLabel,
  isDraftComplete,
  siteFromDraft,
} from './site-draft'
import { SiteLibrary } from './site-library'
import { parseSshConfig } from './ssh-config'
import { prepareStageJob, type PreparedStageJob } from './stage-job'
import { WorkerHosts, type WorkerProbeResult } from './worker-hosts'

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

const BUSY_HINT = 'wait for it to finish, or stop following it first'

/**
 * The desktop app's main-process state, free of Electron. One site is open at a time: its wizard
 * progress (saved per site in the data directory), the SSH connection to its mirror host with the
 * secrets held in memory (or the keychain), and the runs of the engine's steps, one at a time per
 * host. The saved sites (the JSON the CLI reads), the dashboard and the activity history hang off
 * it; every run it starts is recorded in the history with the secrets it knows removed.
 */
export class AppSession {
  readonly knownHostsPath: string
  readonly sites: SiteLibrary
  readonly dashboard: SiteDashboard
  readonly history: HistoryStore
  private readonly stores: WizardStores
  private readonly secrets: KnownSecrets
  private readonly connections: HostConnections
  private readonly workers: WorkerHosts
  private readonly registry = new RunRegistry()
  private wizard: OpenWizard = newWizard()
  private readonly ready: Promise<void>
  private pendingSecrets: { secrets: HostSecrets; remember: boolean } | null = null
  private disposed = false

  constructor(private readonly options: AppSessionOptions) {
    this.knownHostsPath = join(options.dataDir, 'known_hosts')
    this.secrets = new KnownSecrets(options.secrets ?? new MemorySecretStore())
    this.connections = new HostConnections(this.knownHostsPath, options.openHost)
    this.workers = new WorkerHosts(this.knownHostsPath, this.secrets, options.openHost)
    this.stores = {
      sites: new SiteStore(options.dataDir),
      progress: new WizardProgressStore(options.dataDir),
    }
    this.history = new HistoryStore(options.dataDir, () => this.secrets.values())
    this.sites = new SiteLibrary(this.stores)
    this.dashboard = new SiteDashboard({
      sites: this.stores.sites,
      history: this.history,
      registry: this.registry,
      connected: (target) => this.connections.get(hostLabel(target)),
      open: this.workers.open,
      send: (event) => this.send(event),
      siteChanged: (siteId, site) => this.savedSiteChanged(siteId, site),
      redact: () => this.secrets.redact,
    })
    this.ready = interruptedWizard(this.stores).then((found) => {
      if (found) this.wizard = found
    })
  }

  async snapshot(): Promise<SessionSnapshot> {
    await this.ready
    const { progress, key, siteId } = this.wizard
    const active = this.wizardRun()
    const persisted = progress.activeRun
    const snapshot: SessionSnapshot = {
      wizard: progress.wizard,
      site: progress.site,
      connection: await this.connectionView(),
      secretsCanPersist: this.secrets.canPersist,
      stages: progress.stages,
      activeRun: active,
      interruptedRun: persisted && persisted.runId !== active?.runId ? persisted : null,
      commands: progress.actions.flatMap((action) => {
        const view = commandLineOf(action)
        return view ? [view] : []
      }),
      mirrorUrl: this.mirrorUrl(),
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
  async openSite(id: string | null): Promise<SessionSnapshot> {
    await this.ready
    const current = this.wizard
    if (id === null || (id !== current.key && id !== current.siteId)) {
      const busy = this.wizardRun()
      if (busy)
        throw new EngineError(`A ${busy.stage} run is under way for this setup`, {
          hint: 'wait for it to finish (or stop following it), then open the other site',
        })
      await this.stores.progress.flush()
      this.wizard = id === null ? newWizard() : await openWizard(this.stores, id)
      this.pendingSecrets = null
      this.send({ kind: 'connection', connection: await this.connectionView() })
    }
    return this.snapshot()
  }

  /** Forgets a saved site or an unsaved setup (nothing changes on any host). */
  async forgetSite(id: string): ReturnType<SiteLibrary['list']> {
    await this.ready
    if (id === this.wizard.key || id === this.wizard.siteId) await this.openSite(null)
    return this.sites.forget(id)
  }

  async saveWizard(
    step: WizardStepId,
    completed: WizardStepId[],
  ): Promise<SessionSnapshot['wizard']> {
    await this.ready
    this.wizard.progress.wizard = { step, completed: [...new Set(completed)] }
    await this.save()
    return this.wizard.progress.wizard
  }

  async updateSite(patch: SiteDraftPatch): Promise<{ site: SiteDraft; mirrorUrl: string | null }> {
    await this.ready
    const { progress } = this.wizard
    progress.site = applyDraftPatch(progress.site, patch)
    await this.save()
    // A site that cannot be saved (a password in a proxy URL, say) is refused here, by name.
    await this.saveSiteIfComplete()
    return { site: progress.site, mirrorUrl: this.mirrorUrl() }
  }

  async sshConfigHosts(): Promise<SshConfigHost[]> {
    if (!this.options.sshConfigPath) return []
    const text = await readFile(this.options.sshConfigPath, 'utf8').catch(() => '')
    return parseSshConfig(text)
  }

  async connect(
    target: SshTarget,
    input: SecretsInput,
    remember: boolean,
  ): Promise<ConnectOutcome> {
    await this.ready
    const given = nonEmptySecrets(input)
    this.secrets.note(given)
    const secrets = hasAnySecret(given)
      ? given
      : ((await this.secrets.get(hostLabel(target))) ?? {})
    this.pendingSecrets = { secrets, remember }
    return this.settle(await this.connections.connect(target, secrets))
  }

  async trust(fingerprint: string): Promise<ConnectOutcome> {
    await this.ready
    return this.settle(await this.connections.trust(fingerprint))
  }

  /** Connects to the open site's host again, with the secrets still held for it. */
  async reconnect(): Promise<ConnectOutcome> {
    await this.ready
    const target = this.wizard.progress.site.ssh
    if (!target)
      return {
        kind: 'failed',
        error: { message: 'No host to reconnect to.', hint: 'fill in the Connect page' },
      }
    const secrets = (await this.secrets.get(hostLabel(target))) ?? {}
    this.pendingSecrets = { secrets, remember: false }
    return this.settle(await this.connections.connect(target, secrets), { keepRemembered: true })
  }

  async disconnect(): Promise<ConnectionView> {
    await this.ready
    const target = this.wizard.progress.site.ssh
    if (target) this.connections.close(hostLabel(target))
    const view = await this.connectionView()
    this.send({ kind: 'connection', connection: view })
    return view
  }

  async startRun(stage: StageId, mode: RunMode): Promise<RunStartOutcome> {
    await this.ready
    const wizard = this.wizard
    let prepared: PreparedStageJob
    try {
      prepared = this.prepareRun(wizard, stage, mode)
    } catch (error) {
      return { kind: 'refused', error: errorView(error) }
    }
    const busy = this.registry.busy(prepared.lock)
    if (busy) return busyRefusal(busy.info, prepared.lock, BUSY_HINT)
    const runId = randomUUID()
    const startedAt = new Date().toISOString()
    // Marked on disk first: a run still marked after a restart was interrupted (reattach).
    wizard.progress.activeRun = { runId, stage, mode, startedAt }
    await this.save(wizard)
    const started = this.registry.start(
      prepared.lock,
      { kind: 'wizard', wizardKey: wizard.key, stage, mode, startedAt },
      (id, signal) => prepared.execute(id, signal),
      async (record) => {
        // Closing the app only stops following: the run stays marked, so the next start reattaches.
        if (this.disposed) return
        wizard.progress.stages[stage] = record
        if (wizard.progress.activeRun?.runId === record.runId) wizard.progress.activeRun = null
        await this.save(wizard)
        this.send({ kind: 'run-finished', record })
        this.send({ kind: 'connection', connection: await this.connectionView() })
      },
      runId,
    )
    if ('busy' in started) {
      wizard.progress.activeRun = null
      await this.save(wizard)
      return busyRefusal(started.busy.info, prepared.lock, BUSY_HINT)
    }
    return { kind: 'started', runId }
  }

  /** What a stage needs before it starts; throws (for a refusal) when something is missing. */
  private prepareRun(wizard: OpenWizard, stage: StageId, mode: RunMode): PreparedStageJob {
    return prepareStageJob(
      {
        record: (action) => this.record(wizard, action),
        recorder: (host) =>
          this.history.record({ face: 'wizard', action: stage, host, site: wizard.siteId }),
        openWorker: (target) => this.workers.open(target),
        send: (event) => this.send(event),
        requireHost: () => this.requireHost(),
        shownPlans: wizard.shownPlans,
      },
      siteFromDraft(wizard.progress.site),
      stage,
      mode,
    )
  }

  async addWorker(
    worker: WorkerSite,
    input: SecretsInput,
    remember: boolean,
  ): Promise<WorkerAddOutcome> {
    await this.ready
    const secrets = nonEmptySecrets(input)
    this.secrets.note(secrets)
    return this.settleWorker(await this.workers.add(worker, secrets, remember))
  }

  async trustWorker(fingerprint: string): Promise<WorkerAddOutcome> {
    await this.ready
    return this.settleWorker(await this.workers.trust(fingerprint))
  }

  async removeWorker(label: string): Promise<SiteDraft> {
    await this.ready
    const { progress } = this.wizard
    const workers = progress.site.workers.filter((worker) => workerLabel(worker) !== label)
    progress.site = applyDraftPatch(progress.site, { workers })
    await this.save()
    await this.saveSiteIfComplete().catch(logSaveFailure)
    return progress.site
  }

  private async settleWorker(result: WorkerProbeResult): Promise<WorkerAddOutcome> {
    if (result.kind === 'failed') return result
    if (result.kind !== 'added') return keyQuestion(result)
    const { progress } = this.wizard
    const label = workerLabel(result.worker)
    const others = progress.site.workers.filter((worker) => workerLabel(worker) !== label)
    progress.site = applyDraftPatch(progress.site, { workers: [...others, result.worker] })
    await this.save()
    await this.saveSiteIfComplete().catch(logSaveFailure)
    return { kind: 'added', site: progress.site }
  }

  /** Stops following a run (the engine stops between steps; a sync goes on on the host). */
  stopRun(runId: string): { stopped: boolean } {
    return { stopped: this.registry.stop(runId) }
  }

  async cancelSync(): Promise<{ stopped: boolean }> {
    await this.ready
    const layout = mirrorLayout(siteFromDraft(this.wizard.progress.site).mirror)
    return { stopped: await cancelSync(this.requireHost(), layout) }
  }

  async exportScript(): Promise<{ text: string; fileName: string }> {
    await this.ready
    const { progress } = this.wizard
    const text = renderShellScript(progress.actions, progress.stages, new Date())
    const host = progress.site.ssh?.host ?? 'mirror'
    return { text, fileName: `pip-mirror-${host.replace(/[^A-Za-z0-9.-]/g, '_')}.sh` }
  }

  /** Dashboard requests name their site: it must be the open one (its connection is the session's). */
  async requireOpenSite(siteId: string): Promise<void> {
    await this.ready
    if (this.wizard.siteId !== siteId)
      throw new EngineError(`The site "${siteId}" is not the one open`, {
        hint: 'open it from the list of sites first',
      })
  }

  /** Stops following every run and closes every connection; syncs go on on their hosts. */
  async dispose(): Promise<void> {
    this.disposed = true
    await this.ready.catch(() => undefined)
    const stopping = this.registry.stopAll()
    this.connections.closeAll()
    this.workers.closeAll()
    await stopping
    await this.stores.progress.flush()
  }

  private async settle(
    result: ConnectResult,
    options: { keepRemembered?: boolean } = {},
  ): Promise<ConnectOutcome> {
    switch (result.kind) {
      case 'unknown-key':
      case 'changed-key':
        return keyQuestion(result)
      case 'failed':
        this.pendingSecrets = null
        return result
      case 'connected': {
        const { host } = result
        const { progress } = this.wizard
        const pending = this.pendingSecrets
        this.pendingSecrets = null
        if (pending && hasAnySecret(pending.secrets) && !options.keepRemembered)
          await this.secrets.set(host.label, pending.secrets, { remember: pending.remember })
        progress.site = applyDraftPatch(progress.site, { ssh: host.target })
        progress.hostKey = { keyType: host.hostKey.keyType, fingerprint: host.hostKey.fingerprint }
        await this.save()
        await this.saveSiteIfComplete().catch(logSaveFailure)
        const connection = await this.connectionView()
        this.send({ kind: 'connection', connection })
        return { kind: 'connected', connection }
      }
    }
  }

  /**
   * Once the draft names a host, packages and a serving address it is a site `pip-mirror` can
   * run: it is saved (again) in the site store, and a draft's progress moves to the site's id.
   */
  private async saveSiteIfComplete(): Promise<void> {
    const wizard = this.wizard
    if (!isDraftComplete(wizard.progress.site)) return
    const base = wizard.siteId
      ? await this.stores.sites.load(wizard.siteId).catch(() => null)
      : null
    const site = siteFromDraft(wizard.progress.site, base)
    const saved = await this.stores.sites.save(site, wizard.siteId ? { id: wizard.siteId } : {})
    if (wizard.key === saved.id) return
    const draftKey = wizard.key
    wizard.key = saved.id
    wizard.siteId = saved.id
    await this.stores.progress.rename(draftKey, saved.id)
    await this.save(wizard)
    if (wizard === this.wizard) this.send({ kind: 'site-saved', siteId: saved.id })
  }

  /** An action changed the saved site (adding packages): the open wizard's draft follows it. */
  private async savedSiteChanged(siteId: string, site: Site): Promise<void> {
    if (this.wizard.siteId !== siteId) return
    this.wizard.progress.site = draftFromSite(site)
    await this.save()
  }

  private wizardRun(): SessionSnapshot['activeRun'] {
    for (const run of this.registry.all())
      if (run.info.kind === 'wizard' && run.info.wizardKey === this.wizard.key)
        return {
          runId: run.runId,
          stage: run.info.stage,
          mode: run.info.mode,
          startedAt: run.info.startedAt,
        }
    return null
  }

  private requireHost(): RemoteHost {
    const target = this.wizard.progress.site.ssh
    const host = target ? this.connections.get(hostLabel(target)) : undefined
    if (!host)
      throw new EngineError(`Not connected to ${target ? hostLabel(target) : 'the mirror host'}`, {
        hint: 'reconnect (the button at the top of the page), or connect again from the Connect page',
      })
    return host
  }

  private mirrorUrl(): string | null {
    if (!this.wizard.progress.site.serve) return null
    try {
      return mirrorUrl(siteFromDraft(this.wizard.progress.site).mirror)
    } catch {
      return null
    }
  }

  private async connectionView(): Promise<ConnectionView> {
    const { progress } = this.wizard
    const target = progress.site.ssh
    const label = target ? hostLabel(target) : null
    const host = label ? this.connections.get(label) : undefined
    return {
      state: host ? 'connected' : 'disconnected',
      label,
      hostKey: progress.hostKey,
      hasSecrets: label ? hasAnySecret(await this.secrets.get(label)) : false,
    }
  }

  private record(wizard: OpenWizard, action: RecordedAction): void {
    const actions = wizard.progress.actions
    actions.push(action)
    if (actions.length > MAX_RECORDED_ACTIONS)
      actions.splice(0, actions.length - MAX_RECORDED_ACTIONS)
    const view = commandLineOf(action)
    if (view && wizard === this.wizard) this.send({ kind: 'command', command: view })
    void this.save(wizard).catch((error: unknown) =>
      console.error('Could not save progress:', error),
    )
  }

  /**
   * A new setup is written only once it has a host: an empty one is nothing to come back to.
   * What a tool printed may hold a password (an error message quoting its input): every secret
   * the session knows is removed first, as from the history.
   */
  private save(wizard: OpenWizard = this.wizard): Promise<void> {
    if (!wizard.siteId && !wizard.progress.site.ssh) return Promise.resolve()
    return this.stores.progress.save(wizard.key, redactDeep(wizard.progress, this.secrets.redact))
  }

  /**
   * Events are checked against the contract here, so nothing off-contract reaches the page, and
   * freed of every secret the session knows: the page never gets one back.
   */
  private send(event: SessionEventInput): void {
    if (this.disposed) return
    const parsed = sessionEventSchema.safeParse(redactDeep(event, this.secrets.redact))
    if (parsed.success) this.options.emit(parsed.data)
    else console.error('Dropped an off-contract session event:', parsed.error.message)
  }
}

function logSaveFailure(error: unknown): void {
  console.error('Could not save the site:', error)
}
