import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, readFile, writeFile, stat, chmod, chown, rm } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RemoteHost } from '../../src-main/engine/ssh/remote-host'
import { HostKeyChangedError, UnknownHostKeyError } from '../../src-main/engine/ssh/host-keys'
import { readRemoteFile, writeRemoteFileAtomic } from '../../src-main/engine/ssh/files'
import { probeFacts } from '../../src-main/engine/remote/facts'
import { EngineError } from '../../src-main/engine/errors'
import type { SshTarget } from '#shared/site'
import { makeClientKey, startSshd, type ClientKey, type TestSshd } from '../testbed/sshd'
import { ensureTestUsers, NOPASSWD_SUDOER, PLAIN_USER, SUDOER } from '../testbed/users'
import { startAgent } from '../testbed/agent'
import { sh } from '../testbed/processes'

let sshd: TestSshd
let work: string
let rootKey: ClientKey
let knownHosts: string

beforeAll(async () => {
  await ensureTestUsers()
  sshd = await startSshd()
  work = await mkdtemp(join(tmpdir(), 'pmw-engine-'))
  await chmod(work, 0o755)
  rootKey = await makeClientKey(work, 'root_key')
  await sshd.authorize('root', rootKey)
  knownHosts = join(work, 'known_hosts')
})

afterAll(async () => {
  await sshd?.stop()
  await rm(work, { recursive: true, force: true })
})

function target(user: string, extra: Partial<SshTarget> = {}): SshTarget {
  return { host: sshd.host, port: sshd.port, user, ...extra }
}

/** Connects as root with the key, trusting the test sshd's real fingerprint. */
async function rootHost(): Promise<RemoteHost> {
  return RemoteHost.connect(target('root', { identityFile: rootKey.path }), {
    credentials: {},
    trust: { knownHostsPath: knownHosts, acceptFingerprint: sshd.hostKeyFingerprint },
  })
}

describe('host key trust', () => {
  it('refuses an unknown key and shows its SHA256 fingerprint', async () => {
    const fresh = join(work, 'fresh_known_hosts')
    const attempt = RemoteHost.connect(target('root', { identityFile: rootKey.path }), {
      credentials: {},
      trust: { knownHostsPath: fresh },
    })
    await expect(attempt).rejects.toBeInstanceOf(UnknownHostKeyError)
    await expect(attempt).rejects.toThrow(sshd.hostKeyFingerprint)
    expect(existsSync(fresh)).toBe(false)
  })

  it('stores a confirmed key in OpenSSH known_hosts format that ssh itself accepts', async () => {
    const path = join(work, 'confirmed_known_hosts')
    const asked: string[] = []
    const host = await RemoteHost.connect(target('root', { identityFile: rootKey.path }), {
      credentials: {},
      trust: {
        knownHostsPath: path,
        confirm: async (key) => {
          asked.push(key.fingerprint)
          return true
        },
      },
    })
    host.close()
    expect(asked).toEqual([sshd.hostKeyFingerprint])
    const found = await sh('ssh-keygen', ['-F', `[${sshd.host}]:${sshd.port}`, '-f', path])
    expect(found).toContain('ssh-ed25519')
    // OpenSSH's own client, in strict mode, trusts what the app stored.
    const out = await sh('ssh', [
      '-o',
      'BatchMode=yes',
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      `UserKnownHostsFile=${path}`,
      '-i',
      rootKey.path,
      '-p',
      String(sshd.port),
      `root@${sshd.host}`,
      'echo',
      'trusted',
    ])
    expect(out.trim()).toBe('trusted')
    // A second connection asks nothing.
    const again = await RemoteHost.connect(target('root', { identityFile: rootKey.path }), {
      credentials: {},
      trust: {
        knownHostsPath: path,
        confirm: async () => {
          throw new Error('asked twice')
        },
      },
    })
    again.close()
  })

  it('declining the fingerprint connects nothing and stores nothing', async () => {
    const path = join(work, 'declined_known_hosts')
    const attempt = RemoteHost.connect(target('root', { identityFile: rootKey.path }), {
      credentials: {},
      trust: { knownHostsPath: path, confirm: async () => false },
    })
    await expect(attempt).rejects.toBeInstanceOf(UnknownHostKeyError)
    expect(existsSync(path)).toBe(false)
  })
})

describe('authentication', () => {
  it('logs in with a key, a key with a passphrase, a password and the agent', async () => {
    const withPhrase = await makeClientKey(work, 'phrase_key', 'correct horse')
    await sshd.authorize('root', withPhrase)
    const trust = { knownHostsPath: knownHosts, acceptFingerprint: sshd.hostKeyFingerprint }

    const byKey = await rootHost()
    expect((await byKey.run(['id', '-un'])).stdout.trim()).toBe('root')
    byKey.close()

    const byPhrase = await RemoteHost.connect(target('root', { identityFile: withPhrase.path }), {
      credentials: { passphrase: 'correct horse' },
      trust,
    })
    expect((await byPhrase.run(['id', '-un'])).stdout.trim()).toBe('root')
    byPhrase.close()

    const byPassword = await RemoteHost.connect(target(SUDOER.name, { auth: 'password' }), {
      credentials: { password: SUDOER.password },
      trust,
    })
    expect((await byPassword.run(['id', '-un'])).stdout.trim()).toBe(SUDOER.name)
    byPassword.close()

    const agentKey = await makeClientKey(work, 'agent_key')
    await sshd.authorize(PLAIN_USER.name, agentKey)
    const agent = await startAgent(work, [agentKey.path])
    try {
      const byAgent = await RemoteHost.connect(target(PLAIN_USER.name, { auth: 'agent' }), {
        credentials: { agentSocket: agent.socket },
        trust,
      })
      expect((await byAgent.run(['id', '-un'])).stdout.trim()).toBe(PLAIN_USER.name)
      byAgent.close()
    } finally {
      await agent.stop()
    }
  })

  it('says what to do when the passphrase is missing or the password is wrong', async () => {
    const trust = { knownHostsPath: knownHosts, acceptFingerprint: sshd.hostKeyFingerprint }
    const locked = await makeClientKey(work, 'locked_key', 'secret words')
    await expect(
      RemoteHost.connect(target('root', { identityFile: locked.path }), { credentials: {}, trust }),
    ).rejects.toThrow(/passphrase/)
    const wrong = RemoteHost.connect(target(SUDOER.name, { auth: 'password' }), {
      credentials: { password: 'not the password' },
      trust,
    })
    await expect(wrong).rejects.toBeInstanceOf(EngineError)
    await expect(wrong).rejects.toThrow(/refused every login method/)
  })
})

describe('exec', () => {
  it('reuses one connection for many commands', async () => {
    const host = await rootHost()
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => host.run(['echo', `n${i}`])),
    )
    expect(results.map((r) => r.stdout.trim())).toEqual(
      Array.from({ length: 12 }, (_, i) => `n${i}`),
    )
    const established = await sh('ss', [
      '-Htn',
      'state',
      'established',
      `( sport = :${sshd.port} )`,
    ])
    expect(established.trim().split('\n').filter(Boolean)).toHaveLength(1)
    host.close()
  })

  it('streams stdout and stderr line by line while the command runs, and returns the exit code', async () => {
    const host = await rootHost()
    const seen: { line: string; stream: string; at: number }[] = []
    const started = Date.now()
    const result = await host.exec(
      [
        'sh',
        '-c',
        'for i in 1 2 3 4 5; do echo "out $i"; echo "err $i" >&2; sleep 0.3; done; exit 7',
      ],
      { onLine: (line, stream) => seen.push({ line, stream, at: Date.now() - started }) },
    )
    const total = Date.now() - started
    expect(result.code).toBe(7)
    expect(seen.filter((s) => s.stream === 'stdout').map((s) => s.line)).toEqual([
      'out 1',
      'out 2',
      'out 3',
      'out 4',
      'out 5',
    ])
    expect(seen.filter((s) => s.stream === 'stderr').map((s) => s.line)).toContain('err 3')
    expect(seen[0]?.at).toBeLessThan(total - 900)
    host.close()
  })

  it('passes hostile arguments through untouched', async () => {
    const host = await rootHost()
    const sentinel = join(work, 'INJECTED')
    const hostile = [
      `$(touch ${sentinel})`,
      `\`touch ${sentinel}\``,
      `; touch ${sentinel}`,
      `a\ntouch ${sentinel}`,
      "it's",
      'ünï ✓',
    ]
    const result = await host.run(['printf', '%s\\0', ...hostile])
    expect(result.stdout.split('\0').slice(0, -1)).toEqual(hostile)
    expect(existsSync(sentinel)).toBe(false)
    host.close()
  })
})

describe('sudo', () => {
  it('detects root, passwordless sudo, sudo with a password, and no sudo', async () => {
    const trust = { knownHostsPath: knownHosts, acceptFingerprint: sshd.hostKeyFingerprint }
    const root = await rootHost()
    expect(await root.getPrivilege()).toBe('root')
    root.close()
    for (const [user, expected] of [
      [SUDOER, 'sudo-password'],
      [NOPASSWD_SUDOER, 'sudo-nopasswd'],
    ] as const) {
      const host = await RemoteHost.connect(target(user.name, { auth: 'password' }), {
        credentials: { password: user.password },
        trust,
      })
      expect(await host.getPrivilege()).toBe(expected)
      expect((await host.run(['id', '-u'], { sudo: true })).stdout.trim()).toBe('0')
      host.close()
    }
    const plain = await RemoteHost.connect(target(PLAIN_USER.name, { auth: 'password' }), {
      credentials: { password: PLAIN_USER.password },
      trust,
    })
    await expect(plain.run(['id', '-u'], { sudo: true })).rejects.toThrow(/sudo/)
    plain.close()
  })

  it('keeps the sudo password out of ps and the events; the command gets only its own input', async () => {
    const host = await RemoteHost.connect(target(SUDOER.name, { auth: 'password' }), {
      credentials: { password: SUDOER.password },
      trust: { knownHostsPath: knownHosts, acceptFingerprint: sshd.hostKeyFingerprint },
    })
    const events: string[] = []
    host.onEvent((event) => events.push(JSON.stringify(event)))
    const running = host.run(['sh', '-c', 'sleep 1.5; cat'], {
      sudo: true,
      stdin: 'payload after the password\n',
    })
    await new Promise((r) => setTimeout(r, 700))
    const ps = await sh('ps', ['-eo', 'args'])
    const result = await running
    expect(ps).toContain('sleep 1.5')
    expect(ps).not.toContain(SUDOER.password)
    expect(result.stdout).toBe('payload after the password\n')
    expect(events.join('\n')).not.toContain(SUDOER.password)
    host.close()
  })

  it('refuses a wrong sudo password with a clear message and runs nothing', async () => {
    const host = await RemoteHost.connect(target(SUDOER.name, { auth: 'password' }), {
      credentials: { password: SUDOER.password, sudoPassword: 'wrong' },
      trust: { knownHostsPath: knownHosts, acceptFingerprint: sshd.hostKeyFingerprint },
    })
    const sentinel = join(work, 'SUDO_RAN')
    await expect(host.run(['touch', sentinel], { sudo: true })).rejects.toThrow(
      /sudo refused the password/,
    )
    expect(existsSync(sentinel)).toBe(false)
    host.close()
  })
})

describe('files', () => {
  it('writes atomically and keeps the previous content as a backup', async () => {
    const host = await rootHost()
    const path = join(work, 'settings.conf')
    const first = await writeRemoteFileAtomic(host, path, 'one\n', { mode: 0o640 })
    expect(first).toEqual({ changed: true, backupPath: null })
    expect((await stat(path)).mode & 0o777).toBe(0o640)
    const same = await writeRemoteFileAtomic(host, path, 'one\n')
    expect(same.changed).toBe(false)
    const second = await writeRemoteFileAtomic(host, path, 'two\n')
    expect(second.changed).toBe(true)
    expect(await readFile(path, 'utf8')).toBe('two\n')
    expect(await readFile(second.backupPath as string, 'utf8')).toBe('one\n')
    expect((await stat(path)).mode & 0o777).toBe(0o640)
    expect((await readRemoteFile(host, path))?.toString()).toBe('two\n')
    expect(await readRemoteFile(host, join(work, 'missing'))).toBeNull()
    host.close()
  })

  it('falls back to sudo for a root-owned file, keeping owner and mode', async () => {
    const path = join(work, 'root-owned.conf')
    await writeFile(path, 'secret-ish\nno final newline', { mode: 0o600 })
    await chown(path, 0, 0)
    const host = await RemoteHost.connect(target(SUDOER.name, { auth: 'password' }), {
      credentials: { password: SUDOER.password },
      trust: { knownHostsPath: knownHosts, acceptFingerprint: sshd.hostKeyFingerprint },
    })
    expect((await readRemoteFile(host, path))?.toString()).toBe('secret-ish\nno final newline')
    const result = await writeRemoteFileAtomic(host, path, 'replaced\n')
    expect(result.changed).toBe(true)
    const after = await stat(path)
    expect([after.uid, after.mode & 0o777]).toEqual([0, 0o600])
    expect(await readFile(path, 'utf8')).toBe('replaced\n')
    expect(await readFile(result.backupPath as string, 'utf8')).toBe('secret-ish\nno final newline')
    host.close()
  })
})

describe('facts', () => {
  it('probes the host in one command', async () => {
    const host = await rootHost()
    let commands = 0
    host.onEvent((e) => {
      if (e.type === 'command') commands++
    })
    const facts = await probeFacts(host, '/srv/not-yet/pypi')
    expect(facts.os.id).toBe('debian')
    expect(facts.packageManager).toBe('apt-get')
    expect(facts.python?.version).toMatch(/^3\.11\./)
    expect(facts.disk?.path).toBe('/srv')
    expect(facts.disk?.freeBytes).toBeGreaterThan(0)
    expect(facts.nginx.installed).toBe(true)
    expect(facts.nginx.user).toBe('www-data')
    expect(facts.sudo).toBe('root')
    expect(facts.ipv4).toContain('127.0.0.1')
    expect(facts.init).toBe(existsSync('/run/systemd/system') ? 'systemd' : 'other')
    expect(commands).toBeLessThanOrEqual(1)
    host.close()
  })
})

describe('changed host key', () => {
  it('refuses a changed key, shows both fingerprints, and runs nothing', async () => {
    const host = await rootHost()
    host.close()
    const old = sshd.hostKeyFingerprint
    const fresh = await sshd.replaceHostKey()
    const attempt = RemoteHost.connect(target('root', { identityFile: rootKey.path }), {
      credentials: {},
      trust: { knownHostsPath: knownHosts, acceptFingerprint: fresh, confirm: async () => true },
    })
    await expect(attempt).rejects.toBeInstanceOf(HostKeyChangedError)
    await expect(attempt).rejects.toThrow(old)
    await expect(attempt).rejects.toThrow(fresh)
  })
})
