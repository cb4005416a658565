import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { randomBytes } from 'node:crypto'
import {
  chmod,
  chown,
  lchown,
  mkdtemp,
  readdir,
  readFile,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RemoteHost } from '../../src-main/engine/ssh/remote-host'
import { replaceRemoteFile, writeRemoteFileAtomic } from '../../src-main/engine/ssh/files'
import { makeClientKey, startSshd, type ClientKey, type TestSshd } from '../testbed/sshd'
import { ensureTestUsers, PLAIN_USER, SUDOER } from '../testbed/users'
import { sh } from '../testbed/processes'

/**
 * A file the product replaces, in a directory another (unprivileged) user can write: a worker
 * directory, a mirror directory. That user plants symlinks where the backup will be written,
 * pointing at a cron file; root must never write through them.
 */
const CRON_CONTENT = '# planted-target: must stay exactly this\n'

let sshd: TestSshd
let work: string
let rootKey: ClientKey
let cronFile: string
let plainUid: number

beforeAll(async () => {
  await ensureTestUsers()
  sshd = await startSshd()
  work = await mkdtemp(join(tmpdir(), 'pmw-backups-'))
  await chmod(work, 0o755)
  rootKey = await makeClientKey(work, 'root_key')
  await sshd.authorize('root', rootKey)
  plainUid = Number((await sh('id', ['-u', PLAIN_USER.name])).trim())
  cronFile = `/etc/cron.d/pmw-planted-${randomBytes(4).toString('hex')}`
})

afterEach(async () => {
  await rm(cronFile, { force: true })
})

afterAll(async () => {
  await sshd?.stop()
  await rm(work, { recursive: true, force: true })
  await rm(cronFile, { force: true })
})

const trust = () => ({
  knownHostsPath: join(work, 'known_hosts'),
  acceptFingerprint: sshd.hostKeyFingerprint,
})

/** root logs in with a key: files are written over SFTP. */
function asRoot(): Promise<RemoteHost> {
  return RemoteHost.connect(
    { host: sshd.host, port: sshd.port, user: 'root', identityFile: rootKey.path },
    { credentials: {}, trust: trust() },
  )
}

/** SUDOER logs in: a root-owned file is written by the sudo script. */
function asSudoer(): Promise<RemoteHost> {
  return RemoteHost.connect(
    { host: sshd.host, port: sshd.port, user: SUDOER.name, auth: 'password' },
    { credentials: { password: SUDOER.password }, trust: trust() },
  )
}

/** A root-owned file in a directory PLAIN_USER owns, and the cron file it must never reach. */
async function victim(name: string): Promise<{ dir: string; path: string }> {
  const dir = await mkdtemp(join(work, `${name}-`))
  await chown(dir, plainUid, plainUid)
  await chmod(dir, 0o755)
  const path = join(dir, 'config.json')
  await writeFile(path, '{"old": true}\n', { mode: 0o644 })
  await chown(path, 0, 0)
  await writeFile(cronFile, CRON_CONTENT, { mode: 0o644 })
  return { dir, path }
}

/** What the old code named a backup: the time to the second, so the next ones are predictable. */
function timestampNames(path: string, seconds: number): string[] {
  const now = Date.now()
  return Array.from({ length: seconds + 2 }, (_, i) => {
    const stamp = new Date(now + (i - 1) * 1000)
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z')
    return `${path}.pmw-backup-${stamp}`
  })
}

async function plant(link: string): Promise<void> {
  await symlink(cronFile, link)
  await lchown(link, plainUid, plainUid)
}

describe('backups of replaced files', () => {
  for (const [how, connect] of [
    ['over SFTP (root login)', asRoot],
    ['by the sudo script', asSudoer],
  ] as const) {
    it(`never follows a symlink planted at a predictable backup name, ${how}`, async () => {
      const { dir, path } = await victim(how.includes('SFTP') ? 'sftp' : 'sudo')
      for (const name of timestampNames(path, 20)) await plant(name)
      const host = await connect()
      const written = await writeRemoteFileAtomic(host, path, '{"new": true}\n')
      host.close()
      expect(await readFile(cronFile, 'utf8')).toBe(CRON_CONTENT)
      expect(await readFile(path, 'utf8')).toBe('{"new": true}\n')
      expect(written.backupPath).toMatch(/\.pmw-backup-\d{8}T\d{6}Z-[0-9a-f]{12}$/)
      expect(await readFile(written.backupPath as string, 'utf8')).toBe('{"old": true}\n')
      // No staging file or directory is left behind.
      expect((await readdir(dir)).filter((f) => f.startsWith('.pmw-'))).toEqual([])
    })

    it(`fails, changing nothing, when the backup name exists (a symlink), ${how}`, async () => {
      const { path } = await victim(how.includes('SFTP') ? 'sftp-exact' : 'sudo-exact')
      const taken = `${path}.pmw-backup-taken`
      await plant(taken)
      const host = await connect()
      await expect(
        replaceRemoteFile(host, path, Buffer.from('{"new": true}\n'), {
          previous: Buffer.from('{"old": true}\n'),
          backupPath: taken,
          mode: 0o644,
        }),
      ).rejects.toThrow(/backup/)
      host.close()
      expect(await readFile(cronFile, 'utf8')).toBe(CRON_CONTENT)
      expect(await readFile(path, 'utf8')).toBe('{"old": true}\n')
    })
  }
})
