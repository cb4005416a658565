import { createRedactor, type Redact } from '../app-data/redact'
import type { HostSecrets, SecretStore } from './secret-store'

/**
 * The session's secret store, noting every secret that passes through it, so the activity
 * history can remove each one from what it records (see app-data/redact.ts). The values stay in
 * this process's memory, as the store's own do.
 */
export class KnownSecrets implements SecretStore {
  private readonly seen = new Set<string>()
  private redactor: Redact | null = null

  constructor(private readonly store: SecretStore) {}

  get canPersist(): boolean {
    return this.store.canPersist
  }

  async get(hostLabel: string): Promise<HostSecrets | undefined> {
    const secrets = await this.store.get(hostLabel)
    this.note(secrets)
    return secrets
  }

  async set(
    hostLabel: string,
    secrets: HostSecrets,
    options: { remember: boolean },
  ): Promise<void> {
    this.note(secrets)
    await this.store.set(hostLabel, secrets, options)
  }

  delete(hostLabel: string): Promise<void> {
    return this.store.delete(hostLabel)
  }

  /** A secret typed into a form: known from then on, whether or not the login works. */
  note(secrets: HostSecrets | undefined): void {
    for (const value of [secrets?.password, secrets?.passphrase, secrets?.sudoPassword])
      if (value && !this.seen.has(value)) {
        this.seen.add(value)
        this.redactor = null
      }
  }

  values(): string[] {
    return [...this.seen]
  }

  /** Removes every known secret (and any password assignment) from a text. */
  get redact(): Redact {
    this.redactor ??= createRedactor(this.values())
    return this.redactor
  }
}
