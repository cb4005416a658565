import type { Finding } from '../steps/step'
import type { HostAudit, HostFile, HostRelease, ReleaseLicense, Vulnerability } from './host-audit'

/** One file of a pinned release, as stored on the mirror host and as the upstream published it. */
export interface AuditedFile {
  filename: string
  /** Relative to the mirror's web/ directory. */
  path: string
  size: number | null
  /** sha256 of the file as stored on the host; null when it could not be read. */
  sha256: string | null
  /** What pip is told to expect (the mirror's index page). */
  indexSha256: string | null
  /** What the upstream published (its JSON API, or the mirror's saved copy of it). */
  upstreamSha256: string | null
  uploadTime: string | null
  yanked: boolean
  yankedReason: string | null
  /**
   * ok: the three digests agree; mismatch: they do not (a blocker); missing: the index links a
   * file the host cannot read as a regular file (a blocker); unverified: nothing to compare with.
   */
  status: 'ok' | 'mismatch' | 'missing' | 'unverified'
  detail: string | null
}

export interface AuditedRelease {
  name: string
  version: string
  /** Kept served after an update replaced it, until a prune. */
  retained: boolean
  /** Where the release's data came from. */
  source: HostRelease['source']
  files: AuditedFile[]
  yanked: boolean
  yankedReason: string | null
  uploadTime: string | null
  license: ReleaseLicense | null
  /** Known vulnerabilities; null when they could not be known (offline, no OSV export). */
  vulnerabilities: Vulnerability[] | null
  /** The newest release every target (Python × platform) of the site can install. */
  newest: string | null
  latest: string | null
  outdated: boolean
  errors: string[]
}

export interface AuditCounts {
  releases: number
  files: number
  /** Releases with a file whose digests disagree, or that is missing. */
  mismatched: number
  yanked: number
  /** Releases with a known vulnerability that stands (not withdrawn). */
  vulnerable: number
  outdated: number
  /** Vulnerable releases whose newest installable release fixes every standing advisory. */
  fixable: number
}

export interface AuditReport {
  checkedAt: string
  host: string
  mirrorUrl: string
  /** Where advisories came from; the upstream asked, and whether it answered. */
  sources: {
    upstream: string | null
    upstreamRequests: number
    upstreamUnreachable: string | null
    vulnerabilities: 'pypi' | 'osv-export' | 'mirror-json' | 'none'
    osvExport: string | null
  }
  hashed: { files: number; bytes: number }
  releases: AuditedRelease[]
  counts: AuditCounts
  findings: Finding[]
}

/** Advisories that stand (a withdrawn one is listed, never counted). */
export function standing(release: Pick<AuditedRelease, 'vulnerabilities'>): Vulnerability[] {
  return (release.vulnerabilities ?? []).filter((v) => v.withdrawn === null)
}

function auditFile(file: HostFile, reachable: boolean): AuditedFile {
  const sha256 = file.sha256 ?? null
  const upstreamSha256 = file.reference?.sha256 ?? null
  const base = {
    filename: file.filename,
    path: file.path,
    size: file.size ?? null,
    sha256,
    indexSha256: file.indexSha256,
    upstreamSha256,
    uploadTime: file.reference?.uploadTime ?? null,
    yanked: (file.reference?.yanked ?? false) || file.indexYanked !== null,
    yankedReason: file.reference?.yankedReason ?? (file.indexYanked || null),
  }
  if (sha256 === null)
    return { ...base, status: 'missing', detail: `the mirror host has it as ${file.problem}` }
  if (file.indexSha256 && file.indexSha256 !== sha256)
    return {
      ...base,
      status: 'mismatch',
      detail: `sha256 on the host ${sha256} is not ${file.indexSha256}, which the index page gives pip (pip refuses it)`,
    }
  if (upstreamSha256 && upstreamSha256 !== sha256)
    return {
      ...base,
      status: 'mismatch',
      detail: `sha256 on the host ${sha256} is not ${upstreamSha256}, which the upstream published`,
    }
  if (!upstreamSha256)
    return {
      ...base,
      status: 'unverified',
      detail: reachable
        ? 'the upstream does not list this file for this release'
        : 'no upstream digest to compare with (the upstream was not asked)',
    }
  return { ...base, status: 'ok', detail: null }
}

function auditRelease(release: HostRelease, retained: boolean, reachable: boolean): AuditedRelease {
  const files = release.files.map((f) => auditFile(f, reachable && release.source === 'upstream'))
  return {
    name: release.name,
    version: release.version,
    retained,
    source: release.source,
    files,
    yanked: release.yanked || files.some((f) => f.yanked),
    yankedReason: release.yankedReason ?? files.find((f) => f.yankedReason)?.yankedReason ?? null,
    uploadTime: release.uploadTime,
    license: release.license,
    vulnerabilities: release.vulnerabilities,
    newest: release.newest,
    latest: release.latest,
    outdated: release.outdated,
    errors: release.errors,
  }
}

const pinLabel = (r: Pick<AuditedRelease, 'name' | 'version'>): string => `${r.name}==${r.version}`

function findingsOf(releases: AuditedRelease[]): Finding[] {
  const findings: Finding[] = []
  for (const release of releases) {
    for (const file of release.files)
      if (file.status === 'mismatch' || file.status === 'missing')
        findings.push({
          severity: 'blocker',
          title: `${file.filename} (${pinLabel(release)}) ${file.status === 'missing' ? 'cannot be read on the mirror host' : 'does not match its published digest'}`,
          evidence: `web/${file.path}: ${file.detail ?? ''}`,
          fix: 'sync again to fetch it anew (the dashboard\'s "Sync now", or `pip-mirror apply --from sync`), then audit again; find out how it changed',
        })
    for (const advisory of standing(release))
      findings.push({
        severity: 'warning',
        title: `${pinLabel(release)}: ${advisory.id}${advisory.aliases.length ? ` (${advisory.aliases.join(', ')})` : ''}`,
        evidence: advisory.summary,
        fix: advisory.fixVersion
          ? advisory.newestFixes
            ? `update to ${release.newest} (fixed in ${advisory.fixVersion}): \`pip-mirror update --security-only\``
            : `fixed in ${advisory.fixVersion}, which the site's targets cannot install yet`
          : 'no fixed release is published',
      })
    if (release.yanked)
      findings.push({
        severity: 'warning',
        title: `${pinLabel(release)} is yanked upstream`,
        evidence: release.yankedReason ?? 'no reason given',
        fix: release.outdated
          ? `update it (\`pip-mirror update --project ${release.name}\`)`
          : 'pick another release of it',
      })
    for (const error of release.errors)
      findings.push({ severity: 'info', title: `${pinLabel(release)}: ${error}` })
  }
  return findings
}

function countsOf(releases: AuditedRelease[]): AuditCounts {
  const vulnerable = releases.filter((r) => standing(r).length > 0)
  return {
    releases: releases.length,
    files: releases.reduce((n, r) => n + r.files.length, 0),
    mismatched: releases.filter((r) =>
      r.files.some((f) => f.status === 'mismatch' || f.status === 'missing'),
    ).length,
    yanked: releases.filter((r) => r.yanked).length,
    vulnerable: vulnerable.length,
    outdated: releases.filter((r) => r.outdated).length,
    fixable: vulnerable.filter((r) => standing(r).every((v) => v.newestFixes)).length,
  }
}

export interface ReportContext {
  checkedAt: string
  host: string
  mirrorUrl: string
  /** The pins kept until a prune, as `name==version`. */
  retained: ReadonlySet<string>
  osvExport: string | null
}

/** The audit, from what the mirror host found: each release's state, the counts, the findings. */
export function buildAuditReport(audit: HostAudit, context: ReportContext): AuditReport {
  const reachable = audit.upstream.url !== null && audit.upstream.unreachable === null
  const releases = audit.releases.map((r) =>
    auditRelease(r, context.retained.has(pinLabel(r)), reachable),
  )
  const sources = new Set(
    audit.releases.flatMap((r) => (r.vulnerabilities ?? []).map((v) => v.source)),
  )
  const known = audit.releases.some((r) => r.vulnerabilities !== null)
  return {
    checkedAt: context.checkedAt,
    host: context.host,
    mirrorUrl: context.mirrorUrl,
    sources: {
      upstream: audit.upstream.url,
      upstreamRequests: audit.upstream.requests,
      upstreamUnreachable: audit.upstream.unreachable,
      vulnerabilities: context.osvExport
        ? 'osv-export'
        : sources.has('pypi') || (reachable && known)
          ? 'pypi'
          : known
            ? 'mirror-json'
            : 'none',
      osvExport: context.osvExport,
    },
    hashed: {
      files: releases.reduce((n, r) => n + r.files.filter((f) => f.sha256 !== null).length, 0),
      bytes: releases.reduce((n, r) => n + r.files.reduce((b, f) => b + (f.size ?? 0), 0), 0),
    },
    releases,
    counts: countsOf(releases),
    findings: findingsOf(releases),
  }
}

/** Blockers: a file whose digest disagrees or that cannot be read. */
export function hasBlocker(report: AuditReport): boolean {
  return report.counts.mismatched > 0
}
