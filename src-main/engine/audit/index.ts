/**
 * The mirror audit: what the mirror serves, checked. Read-only, and kept out of the steps: it
 * changes nothing, so it has no plan. See audit-mirror.ts.
 */
export { auditMirror, type AuditOptions } from './audit-mirror'
export {
  buildAuditReport,
  hasBlocker,
  standing,
  type AuditCounts,
  type AuditedFile,
  type AuditedRelease,
  type AuditReport,
} from './audit-report'
export { runHostAudit, siteTargets, type HostAudit, type Vulnerability } from './host-audit'
export { readMirrorPins, pinKey, type MirrorPins } from './mirror-pins'
export { osvRecordsFor, readOsvExport, type OsvRecord } from './osv-export'
export { cyclonedxSbom, pypiPurl, type CyclonedxSbom } from './sbom'
