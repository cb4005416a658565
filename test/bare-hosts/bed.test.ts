import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { RemoteHost } from '../../src-main/engine/ssh/remote-host'
import { OPS_USER, startBareBed, type BareBed } from '../testbed/bare-host/bed'
import type { BareHost } from '../testbed/bare-host/host'
import { getFromHost } from '../testbed/bare-host/inside'
import { NAME_PREFIX } from '../testbed/bare-host/network'
import { sweepBareHosts } from '../testbed/bare-host/sweep'
import { sh, waitFor } from '../testbed/processes'

/**
 * The bare-host test bed itself: separate Debian machines made from debootstrap roots, each in
 * its own PID, mount, UTS and network namespaces, reached over SSH at its own address, with the
 * operator's proxy as the only way out; and nothing left behind, even after a crash.
 */
let bed: BareBed
let trixie: BareHost
let bookworm: BareHost

beforeAll(async () => {
  bed = await startBareBed()
  trixie = await bed.startHost({ name: 'bed-trixie', suite: 'trixie' })
  bookworm = await bed.startHost({ name: 'bed-bookworm', suite: 'bookworm' })
})

afterAll(async () => {
  await bed?.stop()
})

function connectAs(host: BareHost, user: string, sudoPassword?: string): Promise<RemoteHost> {
  return RemoteHost.connect(
    { ...host.sshTarget(user), identityFile: bed.key.path },
    {
      credentials: sudoPassword ? { sudoPassword } : {},
      trust: {
        // A reset host has a new key at the same address: a known_hosts file per key.
        knownHostsPath: join(bed.work, `known_hosts-${host.hostKeyFingerprint.replace(/\W/g, '')}`),
        acceptFingerprint: host.hostKeyFingerprint,
      },
    },
  )
}

/** What a GET from inside the host gets: the status, or the error when nothing answered. */
async function fetchInside(host: BareHost, url: string, proxy = ''): Promise<string> {
  const answer = await getFromHost(host, url, proxy)
  return answer.error ? `error ${answer.error}` : String(answer.status)
}

describe('a bare host', () => {
  it('is the Debian release it was made from, with only its own processes', async () => {
    expect(await trixie.run(['sh', '-c', '. /etc/os-release; echo $VERSION_ID'])).toBe('13\n')
    expect(await bookworm.run(['sh', '-c', '. /etc/os-release; echo $VERSION_ID'])).toBe('12\n')
    expect((await trixie.run(['hostname'])).trim()).toBe('bed-trixie')
    const processes = await trixie.run(['ps', '-e', '-o', 'pid=,comm='])
    expect(processes).toMatch(/^\s*1 pmw-test-init$/m)
    expect(await trixie.hasProcess('sshd')).toBe(true)
    // The proxy runs on this machine, visible in its /proc, but not in the host's.
    expect(bed.proxy.running()).toBe(true)
    expect(await trixie.hasProcess('tinyproxy')).toBe(false)
    // Only what debootstrap --variant=minbase and the four packages bring: no nginx, no venv.
    expect((await trixie.exec(['sh', '-c', 'command -v nginx'])).code).not.toBe(0)
    expect((await trixie.exec(['python3', '-c', 'import ensurepip'])).code).not.toBe(0)
  })

  it('is reached over SSH at its own address: root with a key, an admin whose sudo asks a password', async () => {
    const root = await connectAs(trixie, 'root')
    try {
      expect((await root.run(['id', '-u'])).stdout.trim()).toBe('0')
      expect((await root.run(['hostname'])).stdout.trim()).toBe('bed-trixie')
    } finally {
      root.close()
    }
    await bed.addSudoUser(bookworm)
    const ops = await connectAs(bookworm, OPS_USER.name, OPS_USER.password)
    try {
      expect((await ops.run(['id', '-un'])).stdout.trim()).toBe(OPS_USER.name)
      expect((await ops.exec(['sudo', '-n', 'true'])).code).not.toBe(0)
      expect((await ops.run(['id', '-u'], { sudo: true })).stdout.trim()).toBe('0')
      // Debian's own default for a new user's home.
      expect((await ops.run(['stat', '-c', '%a', `/home/${OPS_USER.name}`])).stdout.trim()).toBe(
        '700',
      )
    } finally {
      ops.close()
    }
  })

  it('has no way out but the proxy, which reaches PyPI and the stand-in on this machine', async () => {
    expect(await fetchInside(trixie, 'https://pypi.org/simple/pip/')).toMatch(/^error/)
    expect(await fetchInside(trixie, `${bed.upstream.url}/simple/`)).toMatch(/^error/)
    bed.proxy.clearRequests()
    expect(await fetchInside(trixie, 'https://pypi.org/simple/pip/', bed.proxy.url)).toBe('200')
    expect(await fetchInside(trixie, `${bed.upstream.url}/simple/`, bed.proxy.url)).toBe('200')
    expect(bed.proxy.requests()).toEqual([
      'CONNECT pypi.org:443',
      `GET ${bed.upstream.url}/simple/`,
    ])
    // apt as the host's admin configured it: through the proxy, in /etc/apt/apt.conf.d/.
    await trixie.run(['apt-get', 'update', '-qq'])
    expect(bed.proxy.requests().some((r) => r.startsWith('GET http://deb.debian.org/'))).toBe(true)
  })

  it('has its own port 80, and reaches the other hosts on the test network', async () => {
    await trixie.run([
      'sh',
      '-c',
      'setsid python3 -m http.server 80 >/dev/null 2>&1 </dev/null & sleep 1',
    ])
    expect(await fetchInside(bookworm, `http://${trixie.address}/`)).toBe('200')
    expect(await fetchInside(bookworm, `http://${bookworm.address}/`)).toMatch(/refused/)
    expect(await trixie.hasProcess('python3')).toBe(true)
    expect(await bookworm.hasProcess('python3')).toBe(false)
  })

  it('reset() gives a fresh copy of the root at the same address, with a new host key', async () => {
    const before = trixie.hostKeyFingerprint
    await trixie.run(['touch', '/root/was-here'])
    await trixie.reset()
    expect(trixie.hostKeyFingerprint).not.toBe(before)
    expect((await trixie.exec(['test', '-e', '/root/was-here'])).code).toBe(1)
    // Set up again as its admin had it: root still logs in with the key.
    const root = await connectAs(trixie, 'root')
    expect((await root.run(['id', '-u'])).stdout.trim()).toBe('0')
    root.close()
    expect(await fetchInside(bookworm, `http://${trixie.address}/`)).toMatch(/refused/)
  })
})

const BED_DIR = fileURLToPath(new URL('../testbed/bare-host/', import.meta.url))

function mountsMentioning(text: string): string[] {
  const found: string[] = []
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      if (readFileSync(`/proc/${pid}/mountinfo`, 'utf8').includes(text)) found.push(pid)
    } catch {
      // gone meanwhile
    }
  }
  return found
}

async function bedLeftovers(): Promise<string[]> {
  const netns = (await sh('ip', ['netns', 'list']))
    .split('\n')
    .filter((l) => l.startsWith(NAME_PREFIX))
  const links = (await sh('ip', ['-o', 'link', 'show']))
    .split('\n')
    .map((line) => line.split(':')[1]?.trim().split('@')[0] ?? '')
    .filter((name) => name.startsWith(NAME_PREFIX) && name !== 'pmwb0')
  const mounts = mountsMentioning('/pmw-bare-hosts/')
  return [
    ...netns.map((n) => `netns ${n}`),
    ...links.map((l) => `link ${l}`),
    ...mounts.map((p) => `mounts of pid ${p}`),
    ...(existsSync('/tmp/pmw-bare-hosts') && readdirSync('/tmp/pmw-bare-hosts').length > 0
      ? ['/tmp/pmw-bare-hosts']
      : []),
  ]
}

describe('cleaning up', () => {
  it('stop() leaves no namespace, link, mount or process; a crashed run is swept', async () => {
    await bed.stop()
    expect(await bedLeftovers()).toEqual([])

    // A run that dies without its afterAll: a child process starts a host and is killed.
    const child = spawn(process.execPath, ['--import', 'tsx', join(BED_DIR, 'crash-demo.ts')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    await waitFor(() => out.includes('host started'), 'the crash demo to start a host', 120_000)
    child.kill('SIGKILL')
    await new Promise((resolve) => child.once('exit', resolve))
    expect(await bedLeftovers()).not.toEqual([])

    await sweepBareHosts()
    expect(await bedLeftovers()).toEqual([])
    // The next bed starts cleanly on the same addresses.
    bed = await startBareBed()
    const again = await bed.startHost({ name: 'bed-again', suite: 'trixie' })
    expect(await again.hasProcess('sshd')).toBe(true)
  })
})
