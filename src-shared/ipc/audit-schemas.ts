import { z } from 'zod'
import { findingSchema } from './engine-schemas'
import { upgradeChoiceSchema } from '../upgrade-choice'

/**
 * The audit, the update plan and the prune as the renderer sees them. The engine's types live
 * in files that import Node; src-main/app/audit-views.ts proves at compile time that they fit.
 */

const shortText = z.string().max(10_000)

export const vulnerabilityViewSchema = z.object({
  id: shortText,
  aliases: z.array(shortText),
  summary: shortText,
  fixedIn: z.array(shortText),
  withdrawn: shortText.nullable(),
  link: shortText.nullable(),
  source: z.enum(['pypi', 'mirror-json', 'osv-export']),
  fixVersion: shortText.nullable(),
  newestFixes: z.boolean(),
})

export const auditedFileViewSchema = z.object({
  filename: shortText,
  path: shortText,
  size: z.number().nullable(),
  sha256: shortText.nullable(),
  indexSha256: shortText.nullable(),
  upstreamSha256: shortText.nullable(),
  uploadTime: shortText.nullable(),
  yanked: z.boolean(),
  yankedReason: shortText.nullable(),
  status: z.enum(['ok', 'mismatch', 'missing', 'unverified']),
  detail: shortText.nullable(),
})

export const auditedReleaseViewSchema = z.object({
  name: shortText,
  version: shortText,
  retained: z.boolean(),
  source: z.enum(['upstream', 'mirror-json', 'none']),
  files: z.array(auditedFileViewSchema),
  yanked: z.boolean(),
  yankedReason: shortText.nullable(),
  uploadTime: shortText.nullable(),
  license: z
    .object({
      expression: shortText.nullable(),
      text: shortText.nullable(),
      classifiers: z.array(shortText),
      source: shortText,
    })
    .nullable(),
  vulnerabilities: z.array(vulnerabilityViewSchema).nullable(),
  newest: shortText.nullable(),
  latest: shortText.nullable(),
  outdated: z.boolean(),
  errors: z.array(shortText),
})

export const auditReportViewSchema = z.object({
  checkedAt: shortText,
  host: shortText,
  mirrorUrl: shortText,
  sources: z.object({
    upstream: shortText.nullable(),
    upstreamRequests: z.number(),
    upstreamUnreachable: shortText.nullable(),
    vulnerabilities: z.enum(['pypi', 'osv-export', 'mirror-json', 'none']),
    osvExport: shortText.nullable(),
  }),
  hashed: z.object({ files: z.number(), bytes: z.number() }),
  releases: z.array(auditedReleaseViewSchema).max(20_000),
  counts: z.object({
    releases: z.number(),
    files: z.number(),
    mismatched: z.number(),
    yanked: z.number(),
    vulnerable: z.number(),
    outdated: z.number(),
    fixable: z.number(),
  }),
  findings: z.array(findingSchema).max(100_000),
})

const advisoryRefSchema = z.object({
  id: shortText,
  aliases: z.array(shortText),
  summary: shortText,
  fixVersion: shortText.nullable(),
})

/** An update's plan: the pin diff and the advisories behind each change. */
export const updatePlanViewSchema = z.object({
  choice: upgradeChoiceSchema,
  changes: z.array(
    z.object({
      name: shortText,
      kind: z.enum(['changed', 'added', 'removed']),
      from: z.array(shortText),
      to: z.array(shortText),
      fixes: z.array(advisoryRefSchema),
      open: z.array(advisoryRefSchema),
      yanked: shortText.nullable(),
    }),
  ),
  unchanged: z.number(),
  retained: z.array(shortText),
  notes: z.array(shortText),
  digest: shortText,
})

/** What a prune deletes, path by path. */
export const pruneViewSchema = z.object({
  pins: z.array(shortText),
  files: z.array(z.object({ pin: shortText, path: shortText, size: z.number() })),
  pages: z.array(shortText),
  refused: z.array(z.object({ path: shortText, reason: shortText })),
  bytes: z.number(),
  digest: shortText,
})

export type VulnerabilityView = z.output<typeof vulnerabilityViewSchema>
export type AuditedReleaseView = z.output<typeof auditedReleaseViewSchema>
export type AuditReportView = z.output<typeof auditReportViewSchema>
export type UpdatePlanView = z.output<typeof updatePlanViewSchema>
export type PruneView = z.output<typeof pruneViewSchema>
