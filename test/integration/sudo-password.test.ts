import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chmod, chown, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RemoteHost } from '../../src-main/engine/ssh/remote-host'
import { readRemoteFile, writeRemoteFileAtomic } from '../../src-main/engine/ssh/files'
import {
  SUDO_REFUSED_EXIT,
  sudoPasswordInput,
  sudoWithPasswordArgv,
} from '../../src-main/engine/ssh/sudo-password'
import { startSshd, type TestSshd } from '../testbed/sshd'
import { ensureTestUsers, PARTIAL_SUDOER } from '../testbed/users'
import { sampleProcesses } from '../testbed/process-sampler'
import { sh } from '../testbed/processes'

/**
 * PARTIAL_SUDOER's sudoers asks for the password except for /usr/bin/tee and /bin/sh (NOPASSWD).
 * A password written to a command's standard input would be read by sudo for everything else, and
 * by the command itself (into a file, an output) for tee and sh.
 */
const PASSWORD = PARTIAL_SUDOER.password

let sshd: TestSshd
let work: string
let uid: number

beforeAll(async () => {
  await ensureTestUsers()
  sshd = await startSshd()
  work = await mkdtemp(join(tmpdir(), 'pmw-sudo-askpass-'))
  await chmod(work, 0o755)
  uid = Number((await sh('id', ['-u', PARTIAL_SUDOER.name])).trim())
})

afterAll(async () => {
  await sshd?.stop()
  await rm(work, { recursive: true, force: true })
})

function connect(sudoPassword = PASSWORD): Promise<RemoteHost> {
  return RemoteHost.connect(
    { host: sshd.host, port: sshd.port, user: PARTIAL_SUDOER.name, auth: 'password' },
    {
      credentials: { password: PASSWORD, sudoPassword },
      trust: {
        knownHostsPath: join(work, 'known_hosts'),
        acceptFingerprint: sshd.hostKeyFingerprint,
      },
    },
  )
}

/** The askpass wrapper's private directories of this user left in the usual temp places. */
async function leftoverPrivateDirs(): Promise<string[]> {
  const found: string[] = []
  for (const base of ['/tmp', '/var/tmp', `/home/${PARTIAL_SUDOER.name}`]) {
    for (const name of await readdir(base).catch(() => [] as string[]))
      if (name.startsWith('.pmw-sudo.') && (await stat(join(base, name))).uid === uid)
        found.push(join(base, name))
  }
  return found
}

describe('sudo with a password, under NOPASSWD rules for tee and sh', () => {
  it('gives the password only to a sudo that asks: never to a file, an output or a process listing', async () => {
    const host = await connect()
    expect(await host.getPrivilege()).toBe('sudo-password')
    const seen: string[] = []
    host.onEvent((event) => seen.push(JSON.stringify(event)))

    const rootOnly = join(work, 'root-only.conf')
    await writeFile(rootOnly, 'old content\n', { mode: 0o600 })
    await chown(rootOnly, 0, 0)
    const teed = join(work, 'teed.txt')

    const sampler = sampleProcesses()
    const results = await Promise.all([
      // NOPASSWD (/bin/sh): sudo never reads a password, so the command's input is all its own.
      host.run(['sh', '-c', 'sleep 2; cat; id -u'], { sudo: true, stdin: 'payload one\n' }),
      // A password (bash is not listed): sudo asks, and runs the command as root.
      host.run(['bash', '-c', 'sleep 2; cat; id -u'], { sudo: true, stdin: 'payload two\n' }),
      // NOPASSWD (/usr/bin/tee): what tee writes is exactly the input.
      host.run(['tee', teed], { sudo: true, stdin: 'teed content\n' }),
    ])
    // The engine's own file operations (sudo sh -c: NOPASSWD) on a file only root may read.
    const before = await readRemoteFile(host, rootOnly)
    const written = await writeRemoteFileAtomic(host, rootOnly, 'new content\n')
    const samples = await sampler.stop()

    expect(results.map((r) => r.stdout)).toEqual([
      'payload one\n0\n',
      'payload two\n0\n',
      'teed content\n',
    ])
    expect(before?.toString()).toBe('old content\n')
    expect(await readFile(teed, 'utf8')).toBe('teed content\n')
    expect(await readFile(rootOnly, 'utf8')).toBe('new content\n')
    expect(await readFile(written.backupPath as string, 'utf8')).toBe('old content\n')
    expect((await stat(rootOnly)).uid).toBe(0)

    // The sampler saw both long commands run, and the password nowhere.
    const listing = samples.map((s) => `${s.cmdline}\n${s.environ}`).join('\n')
    expect(listing).toContain('sleep 2; cat; id -u')
    expect(listing).toContain('SUDO_ASKPASS=')
    expect(listing).not.toContain(PASSWORD)
    expect(results.map((r) => r.stdout + r.stderr).join('\n')).not.toContain(PASSWORD)
    expect(seen.join('\n')).not.toContain(PASSWORD)
    expect(await leftoverPrivateDirs()).toEqual([])
    host.close()
  })

  it('a sudo that does not ask (NOPASSWD) leaves nothing waiting; a refused password fails at once with a clear error', async () => {
    const host = await connect('not the password')
    // The wrapper itself: under NOPASSWD the wrong password is never read, the command runs.
    const allowed = await host.exec(sudoWithPasswordArgv(['sh', '-c', 'cat; id -u']), {
      stdin: sudoPasswordInput('not the password', 'input\n'),
    })
    expect([allowed.code, allowed.stdout]).toEqual([0, 'input\n0\n'])
    // Where sudo asks, it is answered once and refused: no second or third try, nothing runs.
    const sentinel = join(work, 'SHOULD_NOT_EXIST')
    const refused = await host.exec(sudoWithPasswordArgv(['touch', sentinel]), {
      stdin: sudoPasswordInput('not the password', ''),
    })
    expect(refused.code).toBe(SUDO_REFUSED_EXIT)
    expect(refused.stderr).toContain('sudo refused the password')
    expect(refused.stderr).toContain('1 incorrect password attempt')
    // Through the engine: the password is checked first (sudo -v, whatever NOPASSWD allows).
    await expect(host.run(['sh', '-c', 'cat'], { sudo: true, stdin: 'x\n' })).rejects.toThrow(
      /sudo refused the password for pmw-partial/,
    )
    expect(existsSync(sentinel)).toBe(false)
    expect(await leftoverPrivateDirs()).toEqual([])
    host.close()
  })

  it('removes its private directory on every way out: the command fails, or the wrapper is killed', async () => {
    const host = await connect()
    const failed = await host.exec(['bash', '-c', 'exit 3'], { sudo: true })
    expect(failed.code).toBe(3)
    // The command (root) sends TERM to the wrapper (sudo's parent): its trap still cleans up.
    const killed = await host.exec(
      ['sh', '-c', 'kill -TERM "$(ps -o ppid= -p "$PPID" | tr -d " ")"; echo after'],
      { sudo: true },
    )
    expect([killed.code, killed.stdout]).toEqual([143, 'after\n'])
    expect(await leftoverPrivateDirs()).toEqual([])
    host.close()
  })
})
