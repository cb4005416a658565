import { writeFile } from 'node:fs/promises'
import {
  auditMirror,
  cyclonedxSbom,
  hasBlocker,
  standing,
  type AuditedRelease,
  type AuditReport,
} from '../../engine/audit'
import { formatBytes } from '#shared/format-bytes'
import { loadSiteFile } from '../../engine/site-file'
import type { CliOptions } from '../args'
import { connectFromCli } from '../connect'
import { renderFinding, type Output } from '../render'
import { toolVersion } from '../tool-version'

/** Exit codes of `pip-mirror audit` beyond the common ones (README, USAGE). */
export const AUDIT_BLOCKER = 5
export const AUDIT_FAIL_ON = 6

function licenseLabel(release: AuditedRelease): string {
  const license = release.license
  if (!license) return '?'
  return (
    license.expression ??
    license.text ??
    license.classifiers[0]?.replace(/^License :: (OSI Approved :: )?/, '') ??
    '?'
  )
}

function digestLabel(release: AuditedRelease): string {
  if (release.files.length === 0) return 'no files'
  const bad = release.files.filter((f) => f.status === 'mismatch' || f.status === 'missing')
  if (bad.length > 0) return `${bad.length} MISMATCH`
  if (release.files.some((f) => f.status === 'unverified')) return 'unverified'
  return 'ok'
}

function advisoryLabel(release: AuditedRelease): string {
  if (release.vulnerabilities === null) return 'unknown'
  const list = standing(release)
  return list.length === 0
    ? '-'
    : list.map((v) => `${v.id}${v.fixVersion ? ` (fixed in ${v.fixVersion})` : ''}`).join(', ')
}

function newestLabel(release: AuditedRelease): string {
  if (!release.outdated) return release.newest === null ? '?' : 'current'
  const fixes = standing(release).some((v) => v.newestFixes)
  return `${release.newest}${fixes ? ' (fixes)' : ''}`
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? []
  return rows
    .map((row) => `  ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')}`.trimEnd())
    .join('\n')
}

function sourceLine(report: AuditReport): string {
  const { sources } = report
  const advisories =
    sources.vulnerabilities === 'osv-export'
      ? `the OSV export ${sources.osvExport}`
      : sources.vulnerabilities === 'pypi'
        ? `the upstream's JSON API (${sources.upstream})`
        : sources.vulnerabilities === 'mirror-json'
          ? "the mirror's copy of the JSON API (as of its last sync)"
          : 'nowhere: unknown'
  const upstream = sources.upstreamUnreachable
    ? `; the upstream did not answer (${sources.upstreamUnreachable}), so digests come from the mirror's copy of the JSON API`
    : sources.upstream
      ? `; ${sources.upstreamRequests} request(s) to the upstream`
      : '; the upstream was not asked'
  return `  advisories from ${advisories}${upstream}`
}

/** The audit for a person: one line per release, the counts, then every finding. */
export function renderAudit(report: AuditReport, tty: boolean): string {
  const rows = [
    ['RELEASE', 'FILES', 'SHA256', 'UPLOADED', 'LICENCE', 'YANKED', 'ADVISORIES', 'NEWEST'],
    ...report.releases.map((r) => [
      `${r.name} ${r.version}${r.retained ? ' (retained)' : ''}`,
      String(r.files.length),
      digestLabel(r),
      r.uploadTime?.slice(0, 10) ?? '?',
      licenseLabel(r),
      r.yanked ? `yes: ${r.yankedReason ?? 'no reason given'}` : '-',
      advisoryLabel(r),
      newestLabel(r),
    ]),
  ]
  const c = report.counts
  return [
    `Audit of ${report.mirrorUrl} on ${report.host} (${report.checkedAt})`,
    sourceLine(report),
    `  ${report.hashed.files} file(s) hashed on the mirror host (${formatBytes(report.hashed.bytes)})`,
    '',
    table(rows),
    '',
    `${c.releases} release(s), ${c.files} file(s): ${c.mismatched} mismatched, ${c.yanked} yanked, ${c.vulnerable} vulnerable (${c.fixable} fixable by an update), ${c.outdated} outdated`,
    ...(report.findings.length > 0
      ? ['', 'Findings:', ...report.findings.map((f) => renderFinding(f, tty).trimEnd())]
      : []),
    '',
  ].join('\n')
}

/** The exit code: 5 on a blocker, 6 on what --fail-on names, else 0 (4 is a stale plan). */
export function auditExitCode(report: AuditReport, failOn: CliOptions['failOn']): number {
  if (hasBlocker(report)) return AUDIT_BLOCKER
  if (failOn.includes('vulnerable') && report.counts.vulnerable > 0) return AUDIT_FAIL_ON
  if (failOn.includes('yanked') && report.counts.yanked > 0) return AUDIT_FAIL_ON
  return 0
}

/** `pip-mirror audit`: reads only; prints the audit (or JSON), writes the SBOM when asked. */
export async function audit(options: CliOptions, out: Output): Promise<number> {
  const site = await loadSiteFile(options.site)
  const host = await connectFromCli(options)(site.mirror.ssh)
  let report: AuditReport
  try {
    report = await auditMirror(host, site, {
      osvExport: options.osv ?? null,
      offline: options.offline,
    })
  } finally {
    host.close()
  }
  if (options.sbom) {
    const sbom = cyclonedxSbom(report, { toolVersion: await toolVersion() })
    await writeFile(options.sbom, `${JSON.stringify(sbom, null, 2)}\n`)
    process.stderr.write(
      `CycloneDX 1.5 SBOM written to ${options.sbom}: ${sbom.components.length} component(s), ${sbom.vulnerabilities.length} vulnerability record(s)\n`,
    )
  }
  out.write(options.json ? `${JSON.stringify(report)}\n` : renderAudit(report, out.isTTY))
  return auditExitCode(report, options.failOn)
}
