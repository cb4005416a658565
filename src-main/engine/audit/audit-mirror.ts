import type { RemoteHost } from '../ssh/remote-host'
import { mirrorUrl, type Site } from '#shared/site'
import { buildAuditReport, type AuditReport } from './audit-report'
import { runHostAudit } from './host-audit'
import { pinKey, readMirrorPins } from './mirror-pins'
import { osvRecordsFor, readOsvExport } from './osv-export'

export interface AuditOptions {
  /** An OSV export on this machine (osv.dev's PyPI all.zip, a directory, or a .json): its advisories replace the JSON API's. */
  osvExport?: string | null
  /** Ask the upstream nothing: digests, yanks and releases from the mirror's saved JSON. */
  offline?: boolean
  now?: () => Date
}

/**
 * Audits every release the mirror serves (its pins, and those an update kept until a prune):
 * two commands on the mirror host, one to read the pins and one that hashes every file and
 * asks the upstream's JSON API. Reads only.
 */
export async function auditMirror(
  host: RemoteHost,
  site: Site,
  options: AuditOptions = {},
): Promise<AuditReport> {
  const pins = await readMirrorPins(host, site.mirror)
  const all = [...pins.pinned, ...pins.retained]
  const osv = options.osvExport
    ? osvRecordsFor(
        await readOsvExport(options.osvExport),
        all.map((p) => p.name),
      )
    : null
  const audit = await runHostAudit(host, site.mirror, {
    pins: all.map(({ name, version }) => ({ name, version })),
    hash: true,
    online: !options.offline,
    osv,
  })
  return buildAuditReport(audit, {
    checkedAt: (options.now?.() ?? new Date()).toISOString(),
    host: host.label,
    mirrorUrl: mirrorUrl(site.mirror),
    retained: new Set(pins.retained.map(pinKey)),
    osvExport: options.osvExport ?? null,
  })
}
