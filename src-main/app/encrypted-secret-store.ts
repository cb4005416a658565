import { readFile, rename, writeFile } from 'node:fs/promises'
import { z } from 'zod'
import { MemorySecretStore, type HostSecrets, type SecretStore } from './secret-store'

/** Encrypts with the OS keychain; Electron's `safeStorage` in main.ts, a stand-in in tests. */
export interface SecretEncryptor {
  /** False when only a plain-text fallback would be used (Linux without a keyring). */
  isAvailable(): boolean
  encrypt(plainText: string): Buffer
  decrypt(encrypted: Buffer): string
}

const fileSchema = z.record(z.string(), z.string())
const secretsSchema = z.strictObject({
  password: z.string().optional(),
  passphrase: z.string().optional(),
  sudoPassword: z.string().optional(),
})

/**
 * Secrets in memory, and the remembered ones also in a file of keychain-encrypted blobs (one per
 * host, base64), so the app can reconnect after a restart. Nothing is written when the keychain
 * is not available: the secrets then last as long as the process.
 */
export class EncryptedFileSecretStore implements SecretStore {
  private readonly memory = new MemorySecretStore()
  private readonly remembered = new Map<string, string>()
  private loaded: Promise<void> | undefined
  private writes = Promise.resolve()

  constructor(
    private readonly path: string,
    private readonly encryptor: SecretEncryptor,
  ) {}

  get canPersist(): boolean {
    return this.encryptor.isAvailable()
  }

  async get(hostLabel: string): Promise<HostSecrets | undefined> {
    await this.load()
    const inMemory = await this.memory.get(hostLabel)
    if (inMemory) return inMemory
    const blob = this.remembered.get(hostLabel)
    if (!blob || !this.canPersist) return undefined
    try {
      const secrets = secretsSchema.parse(
        JSON.parse(this.encryptor.decrypt(Buffer.from(blob, 'base64'))),
      )
      await this.memory.set(hostLabel, secrets)
      return secrets
    } catch {
      // Encrypted by another keychain or user: as good as absent.
      return undefined
    }
  }

  async set(
    hostLabel: string,
    secrets: HostSecrets,
    options: { remember: boolean },
  ): Promise<void> {
    await this.load()
    await this.memory.set(hostLabel, secrets)
    if (options.remember && this.canPersist) {
      const blob = this.encryptor.encrypt(JSON.stringify(secrets)).toString('base64')
      this.remembered.set(hostLabel, blob)
      await this.save()
    } else if (this.remembered.delete(hostLabel)) {
      await this.save()
    }
  }

  async delete(hostLabel: string): Promise<void> {
    await this.load()
    await this.memory.delete(hostLabel)
    if (this.remembered.delete(hostLabel)) await this.save()
  }

  private load(): Promise<void> {
    this.loaded ??= readFile(this.path, 'utf8').then(
      (text) => {
        const parsed = fileSchema.safeParse(parseJson(text))
        if (parsed.success)
          for (const [label, blob] of Object.entries(parsed.data)) this.remembered.set(label, blob)
      },
      () => undefined,
    )
    return this.loaded
  }

  private save(): Promise<void> {
    const content = JSON.stringify(Object.fromEntries(this.remembered), null, 2)
    this.writes = this.writes.then(async () => {
      const temporary = `${this.path}.tmp`
      await writeFile(temporary, content, { mode: 0o600 })
      await rename(temporary, this.path)
    })
    return this.writes
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}
