import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SiteInput } from '#shared/site'
import { startPypiStandin, type PypiStandin } from '../pypi-standin'
import { makeClientKey, type ClientKey } from '../sshd'
import { startBareHost, type BareHost } from './host'
import { ensureTestNetwork, removeTestNetwork } from './network'
import { startTestProxy, type TestProxy } from './proxy'
import type { DebianSuite } from './roots'
import { sweepBareHosts } from './sweep'

/** The admin account a host is given besides root: logs in with the key, sudo asks a password. */
export interface SudoUser {
  name: string
  password: string
}

export const OPS_USER: SudoUser = { name: 'ops', password: 'Ops-sudo 4!-r8' }

export interface BareBed {
  proxy: TestProxy
  /** The PyPI stand-in on this machine's loopback: the hosts reach it only through the proxy. */
  upstream: PypiStandin
  /** The operator's key: root's on every host, and each sudo user's. */
  key: ClientKey
  work: string
  /** Hosts started so far, in order. */
  hosts: BareHost[]
  startHost(spec: { name: string; suite: DebianSuite }): Promise<BareHost>
  /** Adds a user as Debian's installer would (adduser, group sudo) who logs in with the key. */
  addSudoUser(host: BareHost, user?: SudoUser): Promise<void>
  /** A site description for a mirror on `host`, served on its own address. */
  mirrorSite(host: BareHost, overrides?: Partial<MirrorOverrides>): SiteInput
  /** Writes a site to a file for `pip-mirror --site`. */
  siteFile(site: SiteInput, name: string): Promise<string>
  stop(): Promise<void>
}

export interface MirrorOverrides {
  user: string
  directory: string
  requirements: string[]
  pythonVersions: string[]
  listen: string
  proxy: string | null
}

export interface BareBedOptions {
  /** Seconds the stand-in waits before each file (to catch a sync in the middle). */
  fileDelaySeconds?: number
  wheelsDir?: string
}

/**
 * The bare-host test bed: sweeps what a crashed run left, makes the test network, starts the
 * proxy and the PyPI stand-in, and starts hosts on demand. `stop()` ends every host, the proxy
 * and the stand-in, and removes the network.
 */
export async function startBareBed(options: BareBedOptions = {}): Promise<BareBed> {
  await sweepBareHosts()
  await ensureTestNetwork()
  const work = await mkdtemp(join(tmpdir(), 'pmw-bare-bed-'))
  await chmod(work, 0o755)
  const key = await makeClientKey(work, 'operator_key')
  const proxy = await startTestProxy()
  const upstream = await startPypiStandin({
    ...(options.wheelsDir ? { wheelsDir: options.wheelsDir } : {}),
    ...(options.fileDelaySeconds ? { fileDelaySeconds: options.fileDelaySeconds } : {}),
  })
  const hosts: BareHost[] = []

  const authorize = async (host: BareHost, user: string, home: string): Promise<void> => {
    await host.run(
      [
        'sh',
        '-c',
        'install -d -m 700 -o "$1" -g "$1" "$2/.ssh" && cat > "$2/.ssh/authorized_keys" && chown "$1:$1" "$2/.ssh/authorized_keys" && chmod 600 "$2/.ssh/authorized_keys"',
        'sh',
        user,
        home,
      ],
      { input: `${key.publicKey}\n` },
    )
  }

  const bed: BareBed = {
    proxy,
    upstream,
    key,
    work,
    hosts,
    async startHost(spec) {
      const host = await startBareHost({
        ...spec,
        index: hosts.length + 1,
        // What the host's admin set up when installing it: a name that resolves, apt through
        // the site's proxy, and root's key.
        prepare: async (started) => {
          await started.run([
            'sh',
            '-c',
            'printf "127.0.0.1 localhost\\n127.0.1.1 %s\\n" "$1" > /etc/hosts',
            'sh',
            spec.name,
          ])
          await started.run(['sh', '-c', 'cat > /etc/apt/apt.conf.d/80proxy'], {
            input: `Acquire::http::Proxy "${proxy.url}";\nAcquire::https::Proxy "${proxy.url}";\n`,
          })
          await authorize(started, 'root', '/root')
        },
      })
      hosts.push(host)
      return host
    },
    async addSudoUser(host, user = OPS_USER) {
      await host.run(['adduser', '--disabled-password', '--gecos', '', user.name])
      await host.run(['chpasswd'], { input: `${user.name}:${user.password}\n` })
      await host.run(['adduser', user.name, 'sudo'])
      await authorize(host, user.name, `/home/${user.name}`)
    },
    mirrorSite(host, overrides = {}) {
      return {
        mirror: {
          ssh: {
            host: host.address,
            port: 22,
            user: overrides.user ?? 'root',
            identityFile: key.path,
          },
          directory: overrides.directory ?? '/srv/pypi',
          upstream: upstream.url,
          allowNonHttps: true,
          proxy: overrides.proxy === undefined ? proxy.url : overrides.proxy,
          requirements: overrides.requirements ?? ['alpha'],
          pythonVersions: overrides.pythonVersions ?? ['3.11'],
          platforms: ['linux'],
          serve: { listen: overrides.listen ?? `${host.address}:80`, location: '/pypi/' },
        },
      }
    },
    async siteFile(site, name) {
      const path = join(work, `${name}.json`)
      await writeFile(path, JSON.stringify(site, null, 2))
      return path
    },
    async stop() {
      for (const host of hosts.splice(0)) await host.stop().catch(() => undefined)
      await upstream.stop()
      await proxy.dispose()
      await removeTestNetwork()
      await rm(work, { recursive: true, force: true })
    },
  }
  return bed
}
