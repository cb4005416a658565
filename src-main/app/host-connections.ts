import type { Credentials } from '../engine/ssh/connect'
import { HostKeyChangedError, UnknownHostKeyError, type HostKeyInfo } from '../engine/ssh/host-keys'
import { RemoteHost } from '../engine/ssh/remote-host'
import type { SshTarget } from '#shared/site'
import type { ErrorView } from '#shared/ipc/contract'
import { errorView } from './engine-views'

export type ConnectResult =
  | { kind: 'connected'; host: RemoteHost }
  | { kind: 'unknown-key'; key: HostKeyInfo }
  | { kind: 'changed-key'; key: HostKeyInfo; known: string[]; knownHostsPath: string }
  | { kind: 'failed'; error: ErrorView }

export type OpenHost = typeof RemoteHost.connect

/**
 * The session's SSH connections, one per host, and the host-key decision in between: an unknown
 * key is never accepted silently. It is handed back for the operator to confirm, and only the
 * exact fingerprint confirmed is trusted when connecting again. A changed key is refused.
 */
export class HostConnections {
  private readonly hosts = new Map<string, RemoteHost>()
  private pending: { target: SshTarget; credentials: Credentials; key: HostKeyInfo } | null = null

  constructor(
    private readonly knownHostsPath: string,
    private readonly open: OpenHost = (target, options) => RemoteHost.connect(target, options),
  ) {}

  connect(target: SshTarget, credentials: Credentials): Promise<ConnectResult> {
    this.pending = null
    return this.attempt(target, credentials, undefined)
  }

  /** Connects the pending host, trusting the key the operator just confirmed. */
  async trust(fingerprint: string): Promise<ConnectResult> {
    const pending = this.pending
    if (!pending || pending.key.fingerprint !== fingerprint)
      return {
        kind: 'failed',
        error: {
          message: 'That host key is not the one waiting for confirmation.',
          hint: 'connect again and compare the fingerprint shown with the server’s own',
        },
      }
    this.pending = null
    return this.attempt(pending.target, pending.credentials, fingerprint)
  }

  get(label: string): RemoteHost | undefined {
    const host = this.hosts.get(label)
    return host?.isConnected ? host : undefined
  }

  close(label: string): void {
    this.hosts.get(label)?.close()
    this.hosts.delete(label)
  }

  closeAll(): void {
    for (const host of this.hosts.values()) host.close()
    this.hosts.clear()
    this.pending = null
  }

  private async attempt(
    target: SshTarget,
    credentials: Credentials,
    acceptFingerprint: string | undefined,
  ): Promise<ConnectResult> {
    try {
      const host = await this.open(target, {
        credentials,
        trust: {
          knownHostsPath: this.knownHostsPath,
          ...(acceptFingerprint ? { acceptFingerprint } : {}),
        },
      })
      this.close(host.label)
      this.hosts.set(host.label, host)
      return { kind: 'connected', host }
    } catch (error) {
      if (error instanceof UnknownHostKeyError) {
        this.pending = { target, credentials, key: error.key }
        return { kind: 'unknown-key', key: error.key }
      }
      if (error instanceof HostKeyChangedError)
        return {
          kind: 'changed-key',
          key: error.key,
          known: error.knownFingerprints,
          knownHostsPath: this.knownHostsPath,
        }
      return { kind: 'failed', error: errorView(error) }
    }
  }
}
