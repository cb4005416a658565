import type { Connect } from '../engine/fleet'
import { RemoteHost } from '../engine/ssh/remote-host'
import type { SshTarget, WorkerSite } from '#shared/site'
import { HostConnections, type ConnectResult, type OpenHost } from './host-connections'
import type { HostSecrets, SecretStore } from './secret-store'
import { hostLabel } from './site-draft'

export type WorkerProbeResult =
  { kind: 'added'; worker: WorkerSite } | Exclude<ConnectResult, { kind: 'connected' }>

/**
 * The worker hosts' side of the session. Adding a worker logs in to it once, through the same
 * host-key confirmation as the mirror host, then closes that connection: the fleet opens its own
 * when the workers are set up, trusting only the keys confirmed here.
 */
export class WorkerHosts {
  private readonly probe: HostConnections
  private pending: { worker: WorkerSite; secrets: HostSecrets; remember: boolean } | null = null

  constructor(
    private readonly knownHostsPath: string,
    private readonly secrets: SecretStore,
    private readonly openHost: OpenHost = (target, options) => RemoteHost.connect(target, options),
  ) {
    this.probe = new HostConnections(knownHostsPath, openHost)
  }

  async add(
    worker: WorkerSite,
    secrets: HostSecrets,
    remember: boolean,
  ): Promise<WorkerProbeResult> {
    this.pending = { worker, secrets, remember }
    return this.settle(await this.probe.connect(worker.ssh, secrets))
  }

  async trust(fingerprint: string): Promise<WorkerProbeResult> {
    return this.settle(await this.probe.trust(fingerprint))
  }

  /** The fleet's `connect`: the worker's secrets, and only keys already trusted. */
  readonly open: Connect = async (target: SshTarget) =>
    this.openHost(target, {
      credentials: (await this.secrets.get(hostLabel(target))) ?? {},
      trust: { knownHostsPath: this.knownHostsPath },
    })

  closeAll(): void {
    this.probe.closeAll()
    this.pending = null
  }

  private async settle(result: ConnectResult): Promise<WorkerProbeResult> {
    if (result.kind !== 'connected') {
      if (result.kind === 'failed') this.pending = null
      return result
    }
    const pending = this.pending
    this.pending = null
    this.probe.close(result.host.label)
    if (!pending) return { kind: 'failed', error: { message: 'No worker was being added.' } }
    if (Object.values(pending.secrets).some(Boolean))
      await this.secrets.set(result.host.label, pending.secrets, { remember: pending.remember })
    return { kind: 'added', worker: pending.worker }
  }
}
