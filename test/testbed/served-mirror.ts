import { existsSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { renderBandersnatchConf } from '../../src-main/engine/config/bandersnatch-conf'
import { nginxSiteName, renderNginxSite } from '../../src-main/engine/config/nginx-site'
import { execFileAsync, freePort, sh, waitFor } from './processes'
import { ensureToolsVenv, standinClientEnv, startPypiStandin } from './pypi-standin'

/**
 * A real mirror for tests: real bandersnatch syncs the pinned requirements from the PyPI
 * stand-in, and the machine's real nginx serves `<dir>/web/` with the product's own site file.
 * Other tests share that nginx: only this mirror's site file is ever added or removed.
 */
export interface ServedMirror {
  /** pip_mirror form: http://<listen><location> without /simple and without a trailing slash. */
  url: string
  listen: string
  location: string
  dir: string
  /** Writes new pinned requirements and syncs again (the "add and re-sync" fix). */
  resync(requirements: readonly string[]): Promise<void>
  stop(): Promise<void>
}

export interface ServedMirrorOptions {
  /** IPv4 address to serve on (0.0.0.0: all); a free port is picked when `port` is not given. */
  address: string
  /** The address clients use in `url`; defaults to `address` (127.0.0.1 for 0.0.0.0). */
  reachAt?: string
  port?: number
  /** Pinned requirement lines (markers allowed), as the product's mirror requirements.txt. */
  requirements: readonly string[]
  platforms?: readonly ('linux' | 'macos' | 'windows')[]
  /** The Pythons the mirror keeps files for (its blocklist drops newer ones); default 3.11. */
  pythonVersions?: readonly string[]
  location?: string
  /** The upstream's files (a copy of the stand-in's wheels with more added); default its own. */
  wheelsDir?: string
}

const SITES_AVAILABLE = '/etc/nginx/sites-available'
const SITES_ENABLED = '/etc/nginx/sites-enabled'

export async function startServedMirror(options: ServedMirrorOptions): Promise<ServedMirror> {
  const port = options.port ?? (await freePort(options.address))
  const listen = `${options.address}:${port}`
  const location = options.location ?? '/pypi/'
  const dir = await mkdtemp('/tmp/pmw-served-mirror-')
  // nginx's www-data must traverse every directory on the way to the files.
  await chmod(dir, 0o755)
  const requirementsDir = join(dir, 'requirements')
  await mkdir(requirementsDir, { recursive: true })
  const conf = join(dir, 'bandersnatch.conf')

  /** The stand-in runs only while bandersnatch syncs: nothing else asks it anything. */
  const sync = async (requirements: readonly string[]): Promise<void> => {
    if (requirements.length === 0) throw new Error('an empty requirements file mirrors everything')
    await writeFile(join(requirementsDir, 'requirements.txt'), `${requirements.join('\n')}\n`)
    // bandersnatch 6 syncs only projects that changed upstream since the serial in `status`:
    // projects newly allowed by the requirements would never come. Without `status` it checks
    // every project (what `mirror --force-check` does, minus its copy in /tmp).
    await rm(join(dir, 'status'), { force: true })
    const tools = await ensureToolsVenv()
    const standin = await startPypiStandin(
      options.wheelsDir ? { wheelsDir: options.wheelsDir } : {},
    )
    try {
      await writeFile(
        conf,
        renderBandersnatchConf({
          directory: dir,
          upstream: standin.url,
          allowNonHttps: true,
          proxy: null,
          workers: 2,
          requirementsDir,
          requirementsFileName: 'requirements.txt',
          platforms: options.platforms ?? ['linux'],
          pythonVersions: options.pythonVersions ?? ['3.11'],
          timeoutSeconds: 10,
          globalTimeoutSeconds: 120,
        }),
      )
      await execFileAsync(tools.bandersnatch, ['--config', conf, 'mirror'], {
        env: standinClientEnv(),
        timeout: 180_000,
        maxBuffer: 32 << 20,
      })
    } catch (error) {
      const { stderr, message } = error as { stderr?: string; message: string }
      throw new Error(`bandersnatch mirror failed:\n${stderr || message}`, { cause: error })
    } finally {
      await standin.stop()
    }
    if (existsSync(join(dir, 'todo')))
      throw new Error(`bandersnatch left ${join(dir, 'todo')}: the sync did not finish`)
  }

  const siteName = nginxSiteName(listen)
  const available = join(SITES_AVAILABLE, siteName)
  const enabled = join(SITES_ENABLED, siteName)
  const reachAt = options.reachAt ?? (options.address === '0.0.0.0' ? '127.0.0.1' : options.address)
  const url = `http://${reachAt}:${port}${location.replace(/\/$/, '')}`
  try {
    await sync(options.requirements)
    await writeFile(available, renderNginxSite({ listen, location, webRoot: join(dir, 'web') }))
    await rm(enabled, { force: true })
    await symlink(available, enabled)
    await startOrReloadNginx()
    await waitFor(async () => (await statusOf(`${url}/simple/`)) === 200, `nginx serving ${url}`)
  } catch (error) {
    await removeSite(available, enabled, dir)
    throw error
  }

  return {
    url,
    listen,
    location,
    dir,
    resync: sync,
    stop: () => removeSite(available, enabled, dir),
  }
}

async function removeSite(available: string, enabled: string, dir: string): Promise<void> {
  await rm(enabled, { force: true })
  await rm(available, { force: true })
  // The site's own access log (nginxAccessLog) is named like the site.
  await rm(`/var/log/nginx/${available.split('/').pop() ?? ''}.access.log`, { force: true })
  if (await nginxRunning()) await sh('nginx', ['-s', 'reload']).catch(() => undefined)
  await rm(dir, { recursive: true, force: true })
}

async function nginxRunning(): Promise<boolean> {
  return sh('sh', ['-c', 'kill -0 "$(cat /run/nginx.pid 2>/dev/null)" 2>/dev/null']).then(
    () => true,
    () => false,
  )
}

/** nginx may be shared with concurrent tests: reload it when it runs, start it when not. */
export async function startOrReloadNginx(): Promise<void> {
  await sh('nginx', ['-t', '-q'])
  if (await nginxRunning()) {
    await sh('nginx', ['-s', 'reload'])
    return
  }
  try {
    await sh('nginx', [])
  } catch (error) {
    // Another test started it in the meantime.
    if (!(await nginxRunning())) throw error
    await sh('nginx', ['-s', 'reload'])
  }
}

async function statusOf(url: string): Promise<number> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) })
    return response.status
  } catch {
    return 0
  }
}
