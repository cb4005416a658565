import type { Connect } from '../fleet'
import type { Site, SshTarget } from '#shared/site'
import type { RemoteHost } from '../ssh/remote-host'
import { combineChecks, type HealthCheck } from './health-check'
import { readMirrorHealth, syncCheck, unreachableMirror, type MirrorHealth } from './mirror-health'
import { readWorkerHealth, unreachableWorker, type WorkerHealth } from './worker-health'

export type { HealthCheck, HealthState } from './health-check'
export type { MirrorFigures, MirrorHealth } from './mirror-health'
export type { WorkerHealth } from './worker-health'

/** The dashboard's picture: mirror host → nginx URL → each worker, a dot on each arrow. */
export interface SiteHealth {
  checkedAt: string
  mirrorUrl: string
  mirror: MirrorHealth
  /** The arrow from the mirror host to its URL: reachable, nginx running, HTTP 200. */
  serveArrow: HealthCheck
  /** The mirror's sync: running, unfinished, never done, or when it last finished. */
  sync: HealthCheck
  /** One per `site.workers`, in order; each has its own arrow. */
  workers: WorkerHealth[]
}

export interface SiteHealthOptions {
  /** Called once a host is read (default: close the connection). */
  release?: (host: RemoteHost) => void
  /** Worker hosts read at once (default 4). */
  concurrency?: number
}

const labelOf = (target: SshTarget): string => `${target.user}@${target.host}:${target.port}`

/** Reads every host of the site; a host that cannot be reached is a red dot, never an error. */
export async function siteHealth(
  site: Site,
  connect: Connect,
  options: SiteHealthOptions = {},
): Promise<SiteHealth> {
  const release = options.release ?? ((host: RemoteHost) => host.close())
  const withHost = async <T>(
    target: SshTarget,
    read: (host: RemoteHost) => Promise<T>,
    onError: (error: unknown) => T,
  ): Promise<T> => {
    let host: RemoteHost
    try {
      host = await connect(target)
    } catch (error) {
      return onError(error)
    }
    try {
      return await read(host)
    } catch (error) {
      return onError(error)
    } finally {
      release(host)
    }
  }

  const mirrorPromise = withHost(
    site.mirror.ssh,
    (host) => readMirrorHealth(host, site),
    (error) => unreachableMirror(site, labelOf(site.mirror.ssh), error),
  )
  const workers: WorkerHealth[] = new Array<WorkerHealth>(site.workers.length)
  let next = 0
  const lane = async (): Promise<void> => {
    while (next < site.workers.length) {
      const index = next++
      const worker = site.workers[index] as Site['workers'][number]
      workers[index] = await withHost(
        worker.ssh,
        (host) => readWorkerHealth(host, site, worker),
        (error) => unreachableWorker(site, worker, error),
      )
    }
  }
  const lanes = Math.max(1, Math.min(options.concurrency ?? 4, site.workers.length))
  const [mirror] = await Promise.all([
    mirrorPromise,
    ...Array.from({ length: lanes }, () => lane()),
  ])
  return {
    checkedAt: new Date().toISOString(),
    mirrorUrl: mirror.url,
    mirror,
    serveArrow: combineChecks([mirror.ssh, mirror.nginx, mirror.http]),
    sync: syncCheck(mirror.figures),
    workers,
  }
}
