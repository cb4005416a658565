import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  EncryptedFileSecretStore,
  type SecretEncryptor,
} from '../../../src-main/app/encrypted-secret-store'
import { MemorySecretStore } from '../../../src-main/app/secret-store'

/** A stand-in for the keychain: reversible, and nothing like the plain text. */
function fakeKeychain(available = true): SecretEncryptor {
  const flip = (data: Buffer): Buffer => Buffer.from(data.map((byte) => byte ^ 0x5a))
  return {
    isAvailable: () => available,
    encrypt: (text) => flip(Buffer.from(`keychain:${text}`)),
    decrypt: (data) =>
      flip(data)
        .toString()
        .replace(/^keychain:/, ''),
  }
}

const SECRET = 'correct horse battery staple'
let dir: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pmw-secrets-'))
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function everyFileText(): Promise<string> {
  const names = await readdir(dir)
  return (await Promise.all(names.map((name) => readFile(join(dir, name), 'utf8')))).join('\n')
}

describe('MemorySecretStore', () => {
  it('keeps secrets for the process only, as copies', async () => {
    const store = new MemorySecretStore()
    const secrets = { password: SECRET }
    await store.set('root@h:22', secrets)
    secrets.password = 'changed'
    expect(await store.get('root@h:22')).toEqual({ password: SECRET })
    expect(store.canPersist).toBe(false)
    await store.delete('root@h:22')
    expect(await store.get('root@h:22')).toBeUndefined()
  })
})

describe('EncryptedFileSecretStore', () => {
  it('writes only keychain-encrypted blobs, and reads them back after a restart', async () => {
    const path = join(dir, 'secrets.json')
    const first = new EncryptedFileSecretStore(path, fakeKeychain())
    await first.set('ops@mirror:22', { password: SECRET, sudoPassword: SECRET }, { remember: true })
    expect(await everyFileText()).not.toContain(SECRET)
    const second = new EncryptedFileSecretStore(path, fakeKeychain())
    expect(await second.get('ops@mirror:22')).toEqual({ password: SECRET, sudoPassword: SECRET })
  })

  it('writes nothing unless asked to remember', async () => {
    const store = new EncryptedFileSecretStore(join(dir, 'secrets.json'), fakeKeychain())
    await store.set('ops@mirror:22', { password: SECRET }, { remember: false })
    expect(await store.get('ops@mirror:22')).toEqual({ password: SECRET })
    expect(await readdir(dir)).toEqual([])
  })

  it('writes nothing at all without a keychain, and says it cannot remember', async () => {
    const store = new EncryptedFileSecretStore(join(dir, 'secrets.json'), fakeKeychain(false))
    expect(store.canPersist).toBe(false)
    await store.set('ops@mirror:22', { password: SECRET }, { remember: true })
    expect(await readdir(dir)).toEqual([])
    expect(await store.get('ops@mirror:22')).toEqual({ password: SECRET })
  })

  it('forgets a remembered host on delete, and on a later set without remember', async () => {
    const path = join(dir, 'secrets.json')
    const store = new EncryptedFileSecretStore(path, fakeKeychain())
    await store.set('a@h:22', { password: 'one' }, { remember: true })
    await store.set('b@h:22', { password: 'two' }, { remember: true })
    await store.delete('a@h:22')
    await store.set('b@h:22', { password: 'three' }, { remember: false })
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({})
  })

  it('treats an unreadable file as empty', async () => {
    const path = join(dir, 'secrets.json')
    await (await import('node:fs/promises')).writeFile(path, 'not json')
    const store = new EncryptedFileSecretStore(path, fakeKeychain())
    expect(await store.get('a@h:22')).toBeUndefined()
  })
})
