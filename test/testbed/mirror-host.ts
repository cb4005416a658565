import { mkdtemp, rm, chmod, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import type { SiteInput } from '#shared/site'
import { makeClientKey, startSshd, type ClientKey, type TestSshd } from './sshd'
import { startPypiStandin, type PypiStandin } from './pypi-standin'
import { sweepLeftoverTestSites, testMirrorDirectory } from './leftover-sites'
import { freePort, sh } from './processes'
import { removeProductSite } from './system-nginx'

/**
 * The test bed's mirror host: a real sshd on loopback (root logs in with a key), the pypi.org
 * stand-in as upstream, and a fresh mirror directory and nginx port for each site.
 */
export interface MirrorHostBed {
  sshd: TestSshd
  upstream: PypiStandin
  key: ClientKey
  work: string
  knownHosts: string
  /** A site for this host: a new directory under /srv and a free port on 127.0.0.1. */
  newSite(overrides?: {
    requirements?: string[]
    upstream?: string
    directory?: string
    listen?: string
  }): Promise<{ input: SiteInput; path: string; directory: string; port: number }>
  /** Removes the mirror directories and the nginx sites it made, then stops the servers. */
  stop(): Promise<void>
}

export async function startMirrorHostBed(): Promise<MirrorHostBed> {
  await sweepLeftoverTestSites()
  const sshd = await startSshd()
  const upstream = await startPypiStandin()
  const work = await mkdtemp(join(tmpdir(), 'pmw-mirror-'))
  await chmod(work, 0o755)
  const key = await makeClientKey(work, 'root_key')
  await sshd.authorize('root', key)
  const directories: string[] = []
  const ports: number[] = []
  return {
    sshd,
    upstream,
    key,
    work,
    knownHosts: join(work, 'known_hosts'),
    async newSite(overrides = {}) {
      const listen = overrides.listen ?? `127.0.0.1:${await freePort()}`
      // The nginx site is named after the port it listens on: that is the one to remove later.
      const port = Number(listen.split(':')[1])
      const directory = overrides.directory ?? testMirrorDirectory(randomBytes(4).toString('hex'))
      directories.push(directory)
      ports.push(port)
      const input: SiteInput = {
        mirror: {
          ssh: { host: sshd.host, port: sshd.port, user: 'root', identityFile: key.path },
          directory,
          upstream: overrides.upstream ?? upstream.url,
          allowNonHttps: true,
          requirements: overrides.requirements ?? ['alpha'],
          serve: { listen, location: '/pypi/' },
        },
      }
      const path = join(work, `site-${port}.json`)
      await writeFile(path, JSON.stringify(input, null, 2))
      return { input, path, directory, port }
    },
    async stop() {
      for (const port of ports) await removeProductSite(`pip-mirror-${port}`)
      await sh('nginx', ['-s', 'reload']).catch(() => undefined)
      for (const dir of directories) await rm(dir, { recursive: true, force: true })
      await upstream.stop()
      await sshd.stop()
      await rm(work, { recursive: true, force: true })
    },
  }
}
