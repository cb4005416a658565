import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { EngineError } from '../engine/errors'
import { mirrorUrl, type SshTarget, type WorkerSite } from '../engine/site'
import { workerLabel } from '../engine/workers'
import type { RemoteHost } from '../engine/ssh/remote-host'
import { mirrorLayout } from '../engine/steps/mirror-layout'
import { cancelSync } from '../engine/sync/sync-job'
import {
  type ConnectionView,
  type ConnectOutcome,
  type RunMode,
  type RunStartOutcome,
  type SecretsInput,
  type SessionEvent,
  type SessionEventInput,
  type SessionSnapshot,
  type SiteDraft,
  type SiteDraftPatch,
  type SshConfigHost,
  type StageId,
  type StageRecord,
  type WorkerAddOutcome,
  type WizardStepId,
} from '../ipc-contract'
import { sessionEventSchema } from '../ipc-session-schemas'
import { errorView } from './engine-views'
import { HostConnections, type ConnectResult, type OpenHost } from './host-connections'
import {
  commandLineOf,
  MAX_RECORDED_ACTIONS,
  ProgressFile,
  type Progress,
  type RecordedAction,
} from './progress-file'
import {
  hasAnySecret,
  MemorySecretStore,
  nonEmptySecrets,
  type HostSecrets,
  type SecretStore,
} from './secret-store'
import { keyQuestion } from './key-question'
import { renderShellScript } from './shell-script'
import { applyDraftPatch, hostLabel, siteFromDraft } from './site-draft'
import { parseSshConfig } from './ssh-config'
import { runStage } from './stage-runner'
import { WorkerHosts, type WorkerProbeResult } from './worker-hosts'
import { runWorkersStage } from './workers-runner'

export interface AppSessionOptions {
  /** Where progress.json and known_hosts live (Electron's userData; a temp dir in tests). */
  dataDir: string
  /** Sends a session event to the page (already checked against the contract). */
  emit: (event: SessionEvent) => void
  secrets?: SecretStore
  /** The operator's OpenSSH client config, whose hosts the Connect page offers. */
  sshConfigPath?: string
  /** Opens an SSH connection (RemoteHost.connect unless a test says otherwise). */
  openHost?: OpenHost
}

interface PreparedRun {
  /** One run at a time per lock: the mirror host's label, or all the worker hosts. */
  lock: string
  execute(runId: string, signal: AbortSignal): Promise<StageRecord>
}

interface ActiveRun {
  runId: string
  stage: StageId
  mode: RunMode
  startedAt: string
  host: string
  controller: AbortController
  done: Promise<void>
}

/**
 * The desktop app's main-process state, free of Electron: the wizard's progress (saved as JSON
 * in the data directory), the SSH connection to the mirror host with its secrets held in memory
 * (or the keychain), and the runs of the engine's steps, one at a time per host, whose events go
 * to the page and whose commands are recorded for the exported script.
 */
export class AppSession {
  readonly knownHostsPath: string
  private readonly secrets: SecretStore
  private readonly connections: HostConnections
  private readonly workers: WorkerHosts
  private readonly progressFile: ProgressFile
  private progress!: Progress
  private readonly ready: Promise<void>
  private readonly runs = new Map<string, ActiveRun>()
  private pendingSecrets: { secrets: HostSecrets; remember: boolean } | null = null
  private disposed = false

  constructor(private readonly options: AppSessionOptions) {
    this.knownHostsPath = join(options.dataDir, 'known_hosts')
    this.secrets = options.secrets ?? new MemorySecretStore()
    this.connections = new HostConnections(this.knownHostsPath, options.openHost)
    this.workers = new WorkerHosts(this.knownHostsPath, this.secrets, options.openHost)
    this.progressFile = new ProgressFile(join(options.dataDir, 'progress.json'))
    this.ready = this.progressFile.load().then((progress) => {
      this.progress = progress
    })
  }

  async snapshot(): Promise<SessionSnapshot> {
    await this.ready
    const active = [...this.runs.values()][0] ?? null
    const persisted = this.progress.activeRun
    return {
      wizard: this.progress.wizard,
      site: this.progress.site,
      connection: await this.connectionView(),
      secretsCanPersist: this.secrets.canPersist,
      stages: this.progress.stages,
      activeRun: active && {
        runId: active.runId,
        stage: active.stage,
        mode: active.mode,
        startedAt: active.startedAt,
      },
      interruptedRun: persisted && persisted.runId !== active?.runId ? persisted : null,
      commands: this.progress.actions.flatMap((action) => {
        const view = commandLineOf(action)
        return view ? [view] : []
      }),
      mirrorUrl: this.mirrorUrl(),
      dataDir: this.options.dataDir,
    }
  }

  async saveWizard(step: WizardStepId, completed: WizardStepId[]): Promise<Progress['wizard']> {
    await this.ready
    this.progress.wizard = { step, completed: [...new Set(completed)] }
    await this.save()
    return this.progress.wizard
  }

  async updateSite(patch: SiteDraftPatch): Promise<{ site: SiteDraft; mirrorUrl: string | null }> {
    await this.ready
    this.progress.site = applyDraftPatch(this.progress.site, patch)
    await this.save()
    return { site: this.progress.site, mirrorUrl: this.mirrorUrl() }
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

  /** Connects to the saved host again, with the secrets still held for it. */
  async reconnect(): Promise<ConnectOutcome> {
    await this.ready
    const target = this.progress.site.ssh
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
    const target = this.progress.site.ssh
    if (target) this.connections.close(hostLabel(target))
    const view = await this.connectionView()
    this.send({ kind: 'connection', connection: view })
    return view
  }

  async startRun(stage: StageId, mode: RunMode): Promise<RunStartOutcome> {
    await this.ready
    let prepared: PreparedRun
    try {
      prepared = this.prepareRun(stage, mode)
    } catch (error) {
      return { kind: 'refused', error: errorView(error) }
    }
    const busy = this.runs.get(prepared.lock)
    if (busy)
      return {
        kind: 'refused',
        error: {
          message: `A ${busy.stage} run is already under way on ${busy.host}.`,
          hint: 'wait for it to finish, or stop following it first',
        },
      }
    const runId = randomUUID()
    const controller = new AbortController()
    const startedAt = new Date().toISOString()
    this.progress.activeRun = { runId, stage, mode, startedAt }
    await this.save()
    const done = prepared
      .execute(runId, controller.signal)
      .then(async (record) => {
        this.runs.delete(prepared.lock)
        // Closing the app only stops following: the run stays marked, so the next start reattaches.
        if (this.disposed) return
        this.progress.stages[stage] = record
        if (this.progress.activeRun?.runId === runId) this.progress.activeRun = null
        await this.save()
        this.send({ kind: 'run-finished', record })
        this.send({ kind: 'connection', connection: await this.connectionView() })
      })
      .catch((error: unknown) => console.error(`The ${stage} run could not be recorded:`, error))
    this.runs.set(prepared.lock, {
      runId,
      stage,
      mode,
      startedAt,
      host: prepared.lock,
      controller,
      done,
    })
    return { kind: 'started', runId }
  }

  /** What a stage needs before it starts; throws (for a refusal) when something is missing. */
  private prepareRun(stage: StageId, mode: RunMode): PreparedRun {
    const site = siteFromDraft(this.progress.site)
    const record = (action: RecordedAction): void => this.record(action)
    if (stage === 'workers') {
      if (site.workers.length === 0)
        throw new EngineError('No worker hosts have been added yet', {
          hint: 'add each OpenLambda worker host with "Add worker", then try again',
        })
      return {
        lock: 'the worker hosts',
        execute: (runId, signal) =>
          runWorkersStage({
            runId,
            mode,
            site,
            signal,
            connect: (target) => this.workers.open(target),
            emit: (event) => this.send({ kind: 'fleet-event', runId, event }),
            record,
          }),
      }
    }
    const host = this.requireHost()
    if (stage === 'packages' && site.mirror.requirements?.length === 0)
      throw new EngineError('There are no packages to resolve yet', {
        hint: 'type one package per line (for example "requests"), or load a requirements.in file',
      })
    return {
      lock: host.label,
      execute: (runId, signal) =>
        runStage({
          runId,
          stage,
          mode,
          host,
          site,
          signal,
          emit: (event) => this.send({ kind: 'run-event', runId, stage, event }),
          record,
        }),
    }
  }

  async addWorker(
    worker: WorkerSite,
    input: SecretsInput,
    remember: boolean,
  ): Promise<WorkerAddOutcome> {
    await this.ready
    return this.settleWorker(await this.workers.add(worker, nonEmptySecrets(input), remember))
  }

  async trustWorker(fingerprint: string): Promise<WorkerAddOutcome> {
    await this.ready
    return this.settleWorker(await this.workers.trust(fingerprint))
  }

  async removeWorker(label: string): Promise<SiteDraft> {
    await this.ready
    const workers = this.progress.site.workers.filter((worker) => workerLabel(worker) !== label)
    this.progress.site = applyDraftPatch(this.progress.site, { workers })
    await this.save()
    return this.progress.site
  }

  private async settleWorker(result: WorkerProbeResult): Promise<WorkerAddOutcome> {
    if (result.kind === 'failed') return result
    if (result.kind !== 'added') return keyQuestion(result)
    const label = workerLabel(result.worker)
    const others = this.progress.site.workers.filter((worker) => workerLabel(worker) !== label)
    this.progress.site = applyDraftPatch(this.progress.site, {
      workers: [...others, result.worker],
    })
    await this.save()
    return { kind: 'added', site: this.progress.site }
  }

  /** Stops following a run (the engine stops between steps; a sync goes on on the host). */
  stopRun(runId: string): { stopped: boolean } {
    const run = [...this.runs.values()].find((candidate) => candidate.runId === runId)
    run?.controller.abort()
    return { stopped: run !== undefined }
  }

  async cancelSync(): Promise<{ stopped: boolean }> {
    await this.ready
    return { stopped: await cancelSync(this.requireHost(), this.mirrorLayout()) }
  }

  async exportScript(): Promise<{ text: string; fileName: string }> {
    await this.ready
    const text = renderShellScript(this.progress.actions, this.progress.stages, new Date())
    const host = this.progress.site.ssh?.host ?? 'mirror'
    return { text, fileName: `pip-mirror-${host.replace(/[^A-Za-z0-9.-]/g, '_')}.sh` }
  }

  /** Stops following every run and closes every connection; syncs go on on their hosts. */
  async dispose(): Promise<void> {
    this.disposed = true
    await this.ready.catch(() => undefined)
    const runs = [...this.runs.values()]
    for (const run of runs) run.controller.abort()
    this.connections.closeAll()
    this.workers.closeAll()
    await Promise.all(runs.map((run) => run.done.catch(() => undefined)))
    await this.progressFile.flush()
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
        const pending = this.pendingSecrets
        this.pendingSecrets = null
        if (pending && hasAnySecret(pending.secrets) && !options.keepRemembered)
          await this.secrets.set(host.label, pending.secrets, { remember: pending.remember })
        this.progress.site = applyDraftPatch(this.progress.site, { ssh: host.target })
        this.progress.hostKey = {
          keyType: host.hostKey.keyType,
          fingerprint: host.hostKey.fingerprint,
        }
        await this.save()
        const connection = await this.connectionView()
        this.send({ kind: 'connection', connection })
        return { kind: 'connected', connection }
      }
    }
  }

  private requireHost(): RemoteHost {
    const target = this.progress.site.ssh
    const host = target ? this.connections.get(hostLabel(target)) : undefined
    if (!host)
      throw new EngineError(`Not connected to ${target ? hostLabel(target) : 'the mirror host'}`, {
        hint: 'reconnect (the button at the top of the page), or connect again from the Connect page',
      })
    return host
  }

  private mirrorLayout(): ReturnType<typeof mirrorLayout> {
    return mirrorLayout(siteFromDraft(this.progress.site).mirror)
  }

  private mirrorUrl(): string | null {
    if (!this.progress.site.serve) return null
    try {
      return mirrorUrl(siteFromDraft(this.progress.site).mirror)
    } catch {
      return null
    }
  }

  private async connectionView(): Promise<ConnectionView> {
    const target = this.progress.site.ssh
    const label = target ? hostLabel(target) : null
    const host = label ? this.connections.get(label) : undefined
    return {
      state: host ? 'connected' : 'disconnected',
      label,
      hostKey: this.progress.hostKey,
      hasSecrets: label ? hasAnySecret(await this.secrets.get(label)) : false,
    }
  }

  private record(action: RecordedAction): void {
    const actions = this.progress.actions
    actions.push(action)
    if (actions.length > MAX_RECORDED_ACTIONS)
      actions.splice(0, actions.length - MAX_RECORDED_ACTIONS)
    const view = commandLineOf(action)
    if (view) this.send({ kind: 'command', command: view })
    void this.save().catch((error: unknown) => console.error('Could not save progress:', error))
  }

  private save(): Promise<void> {
    return this.progressFile.save(this.progress)
  }

  /** Events are checked against the contract here, so nothing off-contract reaches the page. */
  private send(event: SessionEventInput): void {
    if (this.disposed) return
    const parsed = sessionEventSchema.safeParse(event)
    if (parsed.success) this.options.emit(parsed.data)
    else console.error('Dropped an off-contract session event:', parsed.error.message)
  }
}
