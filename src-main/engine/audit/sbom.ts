import { randomUUID } from 'node:crypto'
import type { AuditedRelease, AuditReport } from './audit-report'

/** The package URL of a PyPI release (purl-spec: the name lowercased, `_` as `-`). */
export function pypiPurl(name: string, version: string): string {
  const purlName = name.toLowerCase().replace(/[-_.]+/g, '-')
  return `pkg:pypi/${encodeURIComponent(purlName)}@${encodeURIComponent(version)}`
}

type License = { expression: string } | { license: { name: string } }

/** CycloneDX takes one SPDX expression, or a list of named licences, never both. */
function licensesOf(release: AuditedRelease): License[] | undefined {
  const license = release.license
  if (!license) return undefined
  if (license.expression) return [{ expression: license.expression }]
  const names = [
    ...(license.text ? [license.text] : []),
    ...license.classifiers.map((c) => c.replace(/^License :: (OSI Approved :: )?/, '')),
  ]
  return names.length > 0 ? [...new Set(names)].map((name) => ({ license: { name } })) : undefined
}

function properties(release: AuditedRelease): { name: string; value: string }[] {
  return [
    ...(release.uploadTime ? [{ name: 'pip-mirror:upload-time', value: release.uploadTime }] : []),
    ...(release.yanked
      ? [{ name: 'pip-mirror:yanked', value: release.yankedReason ?? 'yanked (no reason given)' }]
      : []),
    ...(release.retained
      ? [{ name: 'pip-mirror:retained', value: 'served until pruned (an update replaced it)' }]
      : []),
    ...(release.outdated && release.newest
      ? [{ name: 'pip-mirror:newest-installable', value: release.newest }]
      : []),
  ]
}

function component(release: AuditedRelease, mirrorUrl: string) {
  const purl = pypiPurl(release.name, release.version)
  const hashed = release.files.filter((f) => f.sha256 !== null)
  const licenses = licensesOf(release)
  const props = properties(release)
  return {
    type: 'library',
    'bom-ref': purl,
    name: release.name,
    version: release.version,
    purl,
    // One file: its hash is the component's. Several (wheels per platform): each on its own.
    ...(hashed.length === 1
      ? { hashes: [{ alg: 'SHA-256', content: hashed[0]?.sha256 as string }] }
      : {}),
    ...(licenses ? { licenses } : {}),
    externalReferences: hashed.map((file) => ({
      type: 'distribution',
      url: `${mirrorUrl}/${file.path}`,
      comment: file.filename,
      hashes: [{ alg: 'SHA-256', content: file.sha256 as string }],
    })),
    ...(props.length > 0 ? { properties: props } : {}),
  }
}

function vulnerabilities(report: AuditReport) {
  return report.releases.flatMap((release) =>
    (release.vulnerabilities ?? []).map((v) => ({
      'bom-ref': `${v.id}/${pypiPurl(release.name, release.version)}`,
      id: v.id,
      source:
        v.source === 'osv-export'
          ? { name: 'OSV', url: v.link ?? `https://osv.dev/vulnerability/${v.id}` }
          : { name: 'PyPI', ...(v.link ? { url: v.link } : {}) },
      ...(v.aliases.length > 0
        ? { references: v.aliases.map((alias) => ({ id: alias, source: { name: 'alias' } })) }
        : {}),
      ...(v.summary ? { description: v.summary } : {}),
      ...(v.fixVersion ? { recommendation: `Upgrade to ${v.fixVersion} or later` } : {}),
      ...(v.withdrawn ? { rejected: v.withdrawn } : {}),
      affects: [{ ref: pypiPurl(release.name, release.version) }],
    })),
  )
}

export interface SbomOptions {
  toolVersion: string
  serialNumber?: string
}

/**
 * A CycloneDX 1.5 JSON SBOM of what the mirror serves: one component per pinned release (purl
 * `pkg:pypi/...`, the sha256 of each file as stored on the mirror host, its licences), and the
 * known vulnerabilities that affect them.
 */
export function cyclonedxSbom(report: AuditReport, options: SbomOptions) {
  return {
    $schema: 'http://cyclonedx.org/schema/bom-1.5.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: options.serialNumber ?? `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: report.checkedAt,
      tools: {
        components: [
          { type: 'application', name: 'pip-mirror-wizard', version: options.toolVersion },
        ],
      },
      component: {
        type: 'application',
        'bom-ref': report.mirrorUrl,
        name: `pip mirror ${report.mirrorUrl}`,
        description: `The releases the pip mirror on ${report.host} serves`,
      },
    },
    components: report.releases.map((release) => component(release, report.mirrorUrl)),
    dependencies: [
      {
        ref: report.mirrorUrl,
        dependsOn: report.releases.map((r) => pypiPurl(r.name, r.version)),
      },
    ],
    vulnerabilities: vulnerabilities(report),
  }
}

export type CyclonedxSbom = ReturnType<typeof cyclonedxSbom>
