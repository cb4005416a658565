import mirrorCountsScript from './scripts/mirror-counts.sh?raw'
import { probeFacts, type HostFacts } from './remote/facts'
import { httpGetFromHost } from './remote/http-get'
import type { RemoteHost } from './ssh/remote-host'
import { mirrorUrl, type Site } from '#shared/site'
import { mirrorLayout } from './steps/mirror-layout'
import { syncState, type SyncState } from './sync/sync-job'

export interface MirrorStatus {
  url: string
  facts: HostFacts
  sync: SyncState
  /** The upstream serial the last finished sync reached (bandersnatch's `status` file). */
  serial: number | null
  lastSyncedAt: string | null
  projects: number
  files: number
  bytesOnDisk: number
  /** HTTP status of `<url>/simple/` asked from the host itself; 0 when nothing answered. */
  http: number
}

/** What the dashboard and `pip-mirror status` show about a mirror, read from the host. */
export async function mirrorStatus(host: RemoteHost, site: Site): Promise<MirrorStatus> {
  const layout = mirrorLayout(site.mirror)
  const url = mirrorUrl(site.mirror)
  const [facts, sync, counts] = await Promise.all([
    probeFacts(host, layout.dir),
    syncState(host, layout),
    host.readScript(mirrorCountsScript, [layout.dir], { quiet: true }),
  ])
  const [serial = '', mtime = '', projects = '0', files = '0', bytes = '0'] = counts.stdout
    .split('\n')
    .map((l) => l.trim())
  const [answer] = await httpGetFromHost(host, [`${url}/simple/`], { bodyLimit: 0 })
  return {
    url,
    facts,
    sync,
    serial: /^\d+$/.test(serial) ? Number(serial) : null,
    lastSyncedAt: /^\d+$/.test(mtime) ? new Date(Number(mtime) * 1000).toISOString() : null,
    projects: Number(projects) || 0,
    files: Number(files) || 0,
    bytesOnDisk: Number(bytes) || 0,
    http: answer?.status ?? 0,
  }
}
