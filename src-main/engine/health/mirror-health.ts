import { describeError } from '../errors'
import { mirrorStatus } from '../mirror-status'
import { mirrorUrl, type Site } from '#shared/site'
import type { RemoteHost } from '../ssh/remote-host'
import { mirrorLayout } from '../steps/mirror-layout'
import type { TargetMatrix } from '../verify/matrix-types'
import { proveTargets } from '../verify/prove-targets'
import { readSyncHistory, type SyncRun } from '../sync/sync-history'
import type { SyncState } from '../sync/sync-job'
import { syncProgressSnapshot, type SyncProgressSnapshot } from '../sync/sync-snapshot'
import { failed, healthy, unknown, warning, type HealthCheck } from './health-check'

/** The mirror's figures for the dashboard, as read from its host. */
export interface MirrorFigures {
  projects: number
  files: number
  bytesOnDisk: number
  /** The filesystem the mirror is on (the gauge). */
  disk: { freeBytes: number; totalBytes: number; mount: string } | null
  /** The upstream serial and time of the last sync that finished (bandersnatch's status file). */
  serial: number | null
  lastSyncedAt: string | null
  sync: SyncState
  /** How far the running sync is; null when none runs. */
  progress: SyncProgressSnapshot | null
  /** The newest run in the sync history (the app's or the schedule's). */
  lastRun: SyncRun | null
  nginx: { installed: boolean; running: boolean }
}

export interface MirrorHealth {
  host: string
  url: string
  ssh: HealthCheck
  /** `<url>/simple/` asked from the mirror host itself. */
  http: HealthCheck
  nginx: HealthCheck
  /** null when the host could not be read. */
  figures: MirrorFigures | null
  /** Every pin on every target (the verify step's proof), when the mirror serves its index. */
  targets: { matrix: TargetMatrix | null; error: string | null }
}

/** The proof costs two round trips and no file download: cheap enough for every look. */
async function readTargets(
  host: RemoteHost,
  site: Site,
  http: number,
): Promise<MirrorHealth['targets']> {
  if (http !== 200)
    return { matrix: null, error: 'not proven: the mirror does not serve its index' }
  try {
    return { matrix: (await proveTargets(host, site.mirror)).matrix, error: null }
  } catch (error) {
    return { matrix: null, error: describeError(error) }
  }
}

function httpCheck(url: string, status: number, host: string): HealthCheck {
  const what = `GET ${url}/simple/ from ${host}`
  if (status === 200) return healthy(`${what}: HTTP 200`)
  if (status === 0) return failed(`${what}: no answer (is nginx serving ${url}?)`)
  if (status === 403)
    return failed(`${what}: HTTP 403 (nginx cannot read the mirror: repair permissions)`)
  return failed(`${what}: HTTP ${status}`)
}

/** Reads the mirror host's side of the picture over an open connection. */
export async function readMirrorHealth(host: RemoteHost, site: Site): Promise<MirrorHealth> {
  const url = mirrorUrl(site.mirror)
  const layout = mirrorLayout(site.mirror)
  const status = await mirrorStatus(host, site)
  const [progress, runs, targets] = await Promise.all([
    status.sync.kind === 'running' ? syncProgressSnapshot(host, layout) : Promise.resolve(null),
    readSyncHistory(host, layout, 1),
    readTargets(host, site, status.http),
  ])
  const { nginx, disk } = status.facts
  return {
    host: host.label,
    url,
    ssh: healthy(`${host.label} answers over SSH`),
    http: httpCheck(url, status.http, host.label),
    nginx: nginx.running
      ? healthy('nginx is running')
      : nginx.installed
        ? failed('nginx is installed but not running (restart nginx)')
        : failed('nginx is not installed'),
    figures: {
      projects: status.projects,
      files: status.files,
      bytesOnDisk: status.bytesOnDisk,
      disk: disk
        ? { freeBytes: disk.freeBytes, totalBytes: disk.totalBytes, mount: disk.mount }
        : null,
      serial: status.serial,
      lastSyncedAt: status.lastSyncedAt,
      sync: status.sync,
      progress,
      lastRun: runs[0] ?? null,
      nginx: { installed: nginx.installed, running: nginx.running },
    },
    targets,
  }
}

/** The mirror's side when the host could not be reached: every dot says why. */
export function unreachableMirror(site: Site, label: string, error: unknown): MirrorHealth {
  const why = describeError(error)
  return {
    host: label,
    url: mirrorUrl(site.mirror),
    ssh: failed(`${label} cannot be reached over SSH: ${why}`),
    http: unknown('not checked: the mirror host cannot be reached'),
    nginx: unknown('not checked: the mirror host cannot be reached'),
    figures: null,
    targets: { matrix: null, error: 'not proven: the mirror host cannot be reached' },
  }
}

/** A dot for a mirror that answers but whose sync left work undone. */
export function syncCheck(figures: MirrorFigures | null): HealthCheck {
  if (!figures) return unknown('not checked')
  if (figures.sync.kind === 'running') return healthy(`a sync is running (pid ${figures.sync.pid})`)
  if (figures.sync.todo) return warning('the last sync did not finish (sync now resumes it)')
  if (figures.serial === null) return warning('the mirror was never synced')
  return healthy(`last synced ${figures.lastSyncedAt ?? '?'} at serial ${figures.serial}`)
}
