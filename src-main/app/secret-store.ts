/** The secrets of one host: what the engine needs to log in and become root. */
export interface HostSecrets {
  password?: string
  passphrase?: string
  sudoPassword?: string
}

/**
 * Where the session keeps passwords and passphrases. Never written in plain text and never sent
 * to the renderer: the session only ever tells the page whether it holds some.
 */
export interface SecretStore {
  get(hostLabel: string): Promise<HostSecrets | undefined>
  /** `remember` asks to keep them across restarts; only a store that can encrypt does. */
  set(hostLabel: string, secrets: HostSecrets, options: { remember: boolean }): Promise<void>
  delete(hostLabel: string): Promise<void>
  /** True when `remember` can be honoured (an OS keychain is available). */
  readonly canPersist: boolean
}

export function hasAnySecret(secrets: HostSecrets | undefined): boolean {
  return (
    secrets !== undefined &&
    [secrets.password, secrets.passphrase, secrets.sudoPassword].some((value) => !!value)
  )
}

/** Keeps secrets for as long as the process runs; the default, and what tests use. */
export class MemorySecretStore implements SecretStore {
  readonly canPersist: boolean = false
  private readonly secrets = new Map<string, HostSecrets>()

  async get(hostLabel: string): Promise<HostSecrets | undefined> {
    const found = this.secrets.get(hostLabel)
    return found ? { ...found } : undefined
  }

  async set(hostLabel: string, secrets: HostSecrets): Promise<void> {
    this.secrets.set(hostLabel, { ...secrets })
  }

  async delete(hostLabel: string): Promise<void> {
    this.secrets.delete(hostLabel)
  }
}

/** The secrets a form sent, without the empty ones. */
export function nonEmptySecrets(input: HostSecrets): HostSecrets {
  const secrets: HostSecrets = {}
  if (input.password) secrets.password = input.password
  if (input.passphrase) secrets.passphrase = input.passphrase
  if (input.sudoPassword) secrets.sudoPassword = input.sudoPassword
  return secrets
}
