import { readFile } from 'node:fs/promises'
import { EngineError } from '../engine/errors'
import type { Connect } from '../engine/fleet'
import type { SshTarget, WorkerSite } from '#shared/site'
import type { RemoteHost } from '../engine/ssh/remote-host'
import { workerLabel } from '../engine/workers'
import type {
  ConnectionView,
  ConnectOutcome,
  SecretsInput,
  SiteDraft,
  SshConfigHost,
  WorkerAddOutcome,
} from '#shared/ipc/contract'
import { HostConnections, type ConnectResult, type OpenHost } from './host-connections'
import { keyQuestion } from './key-question'
import type { KnownSecrets } from './known-secrets'
import { hasAnySecret, nonEmptySecrets, type HostSecrets } from './secret-store'
import type { SessionEvents } from './session-events'
import { parseSshConfig } from './ssh-config'
import { hostLabel } from './site-draft'
import type { WizardSession } from './wizard-session'
import { WorkerHosts, type WorkerProbeResult } from './worker-hosts'

export interface SessionConnectionsOptions {
  knownHostsPath: string
  secrets: KnownSecrets
  wizard: WizardSession
  events: SessionEvents
  /** The operator's OpenSSH client config, whose hosts the Connect page offers. */
  sshConfigPath?: string | undefined
  openHost?: OpenHost | undefined
}

type Connecting = { target: SshTarget; secrets: SecretsInput; remember: boolean }
type Trusting = { fingerprint: string }

/**
 * The SSH side of the session: the open site's mirror host (one connection, with its secrets
 * held in memory or the keychain, and the host-key question in between) and its worker hosts.
 * A host that connects, or a worker that is added, becomes part of the open site.
 */
export class SessionConnections {
  private readonly hosts: HostConnections
  private readonly workers: WorkerHosts
  private pendingSecrets: { secrets: HostSecrets; remember: boolean } | null = null

  constructor(private readonly options: SessionConnectionsOptions) {
    this.hosts = new HostConnections(options.knownHostsPath, options.openHost)
    this.workers = new WorkerHosts(options.knownHostsPath, options.secrets, options.openHost)
  }

  /** Opens a worker host (or any host of the site) with its secrets and only keys already trusted. */
  get openWorker(): Connect {
    return this.workers.open
  }

  async sshConfigHosts(): Promise<SshConfigHost[]> {
    if (!this.options.sshConfigPath) return []
    const text = await readFile(this.options.sshConfigPath, 'utf8').catch(() => '')
    return parseSshConfig(text)
  }

  async connect({ target, secrets: input, remember }: Connecting): Promise<ConnectOutcome> {
    const given = nonEmptySecrets(input)
    this.options.secrets.note(given)
    const secrets = hasAnySecret(given)
      ? given
      : ((await this.options.secrets.get(hostLabel(target))) ?? {})
    this.pendingSecrets = { secrets, remember }
    return this.settle(await this.hosts.connect(target, secrets))
  }

  async trust({ fingerprint }: Trusting): Promise<ConnectOutcome> {
    return this.settle(await this.hosts.trust(fingerprint))
  }

  /** Connects to the open site's host again, with the secrets still held for it. */
  async reconnect(): Promise<ConnectOutcome> {
    const target = this.options.wizard.current.progress.site.ssh
    if (!target)
      return {
        kind: 'failed',
        error: { message: 'No host to reconnect to.', hint: 'fill in the Connect page' },
      }
    const secrets = (await this.options.secrets.get(hostLabel(target))) ?? {}
    this.pendingSecrets = { secrets, remember: false }
    return this.settle(await this.hosts.connect(target, secrets), { keepRemembered: true })
  }

  async disconnect(): Promise<ConnectionView> {
    const target = this.options.wizard.current.progress.site.ssh
    if (target) this.hosts.close(hostLabel(target))
    return this.announce()
  }

  async addWorker({
    worker,
    secrets: input,
    remember,
  }: {
    worker: WorkerSite
    secrets: SecretsInput
    remember: boolean
  }): Promise<WorkerAddOutcome> {
    const secrets = nonEmptySecrets(input)
    this.options.secrets.note(secrets)
    return this.settleWorker(await this.workers.add(worker, secrets, remember))
  }

  async trustWorker({ fingerprint }: Trusting): Promise<WorkerAddOutcome> {
    return this.settleWorker(await this.workers.trust(fingerprint))
  }

  /** Removes a worker from the site (nothing changes on the host). */
  removeWorker({ label }: { label: string }): Promise<SiteDraft> {
    const workers = this.options.wizard.current.progress.site.workers
    return this.options.wizard.changeSite({
      workers: workers.filter((worker) => workerLabel(worker) !== label),
    })
  }

  /** The session's open connection to a host, if there is one. */
  connected(target: SshTarget): RemoteHost | undefined {
    return this.hosts.get(hostLabel(target))
  }

  /** The open site's mirror host; throws (saying how to reconnect) when it is not connected. */
  requireHost(): RemoteHost {
    const target = this.options.wizard.current.progress.site.ssh
    const host = target ? this.connected(target) : undefined
    if (!host)
      throw new EngineError(`Not connected to ${target ? hostLabel(target) : 'the mirror host'}`, {
        hint: 'reconnect (the button at the top of the page), or connect again from the Connect page',
      })
    return host
  }

  /** The open site's connection as the page shows it. */
  async view(): Promise<ConnectionView> {
    const { progress } = this.options.wizard.current
    const target = progress.site.ssh
    const label = target ? hostLabel(target) : null
    const host = label ? this.hosts.get(label) : undefined
    return {
      state: host ? 'connected' : 'disconnected',
      label,
      hostKey: progress.hostKey,
      hasSecrets: label ? hasAnySecret(await this.options.secrets.get(label)) : false,
    }
  }

  /** Tells the page how the open site's connection stands now. */
  async announce(): Promise<ConnectionView> {
    const connection = await this.view()
    this.options.events.send({ kind: 'connection', connection })
    return connection
  }

  /** Another site was opened: a pending login belongs to the one before. */
  forgetPending(): void {
    this.pendingSecrets = null
  }

  closeAll(): void {
    this.hosts.closeAll()
    this.workers.closeAll()
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
          await this.options.secrets.set(host.label, pending.secrets, {
            remember: pending.remember,
          })
        await this.options.wizard.changeSite(
          { ssh: host.target },
          { keyType: host.hostKey.keyType, fingerprint: host.hostKey.fingerprint },
        )
        return { kind: 'connected', connection: await this.announce() }
      }
    }
  }

  private async settleWorker(result: WorkerProbeResult): Promise<WorkerAddOutcome> {
    if (result.kind === 'failed') return result
    if (result.kind !== 'added') return keyQuestion(result)
    const label = workerLabel(result.worker)
    const others = this.options.wizard.current.progress.site.workers.filter(
      (worker) => workerLabel(worker) !== label,
    )
    const site = await this.options.wizard.changeSite({ workers: [...others, result.worker] })
    return { kind: 'added', site }
  }
}
