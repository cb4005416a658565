import { z } from 'zod'
import { runPythonJson } from '../remote/python'
import type { RemoteHost } from '../ssh/remote-host'
import type { MirrorSite } from '#shared/site'
import { mirrorLayout } from '../steps/mirror-layout'
import auditProgram from './scripts/audit-host.py?raw'

/** What the audit's remote program is asked to do, in one command on the mirror host. */
export interface HostAuditJob {
  pins: readonly { name: string; version: string }[]
  /** Find each pin's files in the mirror and hash them (false: advisories only, for pins the mirror does not hold yet). */
  hash: boolean
  /** Ask the upstream's JSON API (from the mirror host, through the site's proxy). */
  online: boolean
  /** OSV records narrowed to the pinned projects; they replace the JSON API's advisories. */
  osv: readonly unknown[] | null
}

const vulnerabilitySchema = z.object({
  id: z.string(),
  aliases: z.array(z.string()),
  summary: z.string(),
  fixedIn: z.array(z.string()),
  /** When the advisory was withdrawn (RFC 3339); null while it stands. */
  withdrawn: z.string().nullable(),
  link: z.string().nullable(),
  /** Where it came from: the upstream's JSON API, the mirror's saved copy of it, an OSV export. */
  source: z.enum(['pypi', 'mirror-json', 'osv-export']),
  /** The lowest fixed_in above the pinned version; null when none is published. */
  fixVersion: z.string().nullable(),
  /** The newest release the site's targets can install is at or past that fix. */
  newestFixes: z.boolean(),
})

const hostFileSchema = z.object({
  filename: z.string(),
  /** Relative to the mirror's web/ directory. */
  path: z.string(),
  sha256: z.string().optional(),
  size: z.number().optional(),
  /** Why the file could not be hashed (missing, a symbolic link, ...). */
  problem: z.string().optional(),
  /** The digest the mirror's index page gives pip (bandersnatch copied it at sync time). */
  indexSha256: z.string().nullable(),
  indexYanked: z.string().nullable(),
  /** The upstream's record of this file (JSON API, or the mirror's saved copy). */
  reference: z
    .object({
      sha256: z.string().nullable().optional(),
      uploadTime: z.string().nullable().optional(),
      yanked: z.boolean(),
      yankedReason: z.string().nullable(),
    })
    .nullable(),
})

const licenseSchema = z.object({
  expression: z.string().nullable(),
  text: z.string().nullable(),
  classifiers: z.array(z.string()),
  source: z.string(),
})

const hostReleaseSchema = z.object({
  name: z.string(),
  version: z.string(),
  source: z.enum(['upstream', 'mirror-json', 'none']),
  files: z.array(hostFileSchema),
  yanked: z.boolean(),
  yankedReason: z.string().nullable(),
  uploadTime: z.string().nullable(),
  license: licenseSchema.nullable(),
  /** null: unknown (offline, and the mirror's saved JSON speaks of another release). */
  vulnerabilities: z.array(vulnerabilitySchema).nullable(),
  /** The newest release every target can install, and the newest at all. */
  newest: z.string().nullable(),
  latest: z.string().nullable(),
  /** The newest installable release is later than the pin. */
  outdated: z.boolean(),
  /** The lowest release that leaves every standing advisory with a fix behind; null if none. */
  fixFloor: z.string().nullable(),
  errors: z.array(z.string()),
})

export const hostAuditSchema = z.object({
  upstream: z.object({
    url: z.string().nullable(),
    requests: z.number(),
    /** Why the upstream could not be reached; it was not asked again after that. */
    unreachable: z.string().nullable(),
  }),
  releases: z.array(hostReleaseSchema),
})

export type HostAudit = z.infer<typeof hostAuditSchema>
export type HostRelease = z.infer<typeof hostReleaseSchema>
export type HostFile = z.infer<typeof hostFileSchema>
export type Vulnerability = z.infer<typeof vulnerabilitySchema>
export type ReleaseLicense = z.infer<typeof licenseSchema>

/** What the site's workers run: every listed Python on every listed platform. */
export function siteTargets(mirror: MirrorSite): { python: string; platform: string }[] {
  return mirror.pythonVersions.flatMap((python) =>
    mirror.platforms.map((platform) => ({ python, platform })),
  )
}

/**
 * Runs the audit program on the mirror host: one command however many pins and files (the
 * hashing, the index pages, the upstream's JSON API, all from there).
 */
export function runHostAudit(
  host: RemoteHost,
  mirror: MirrorSite,
  job: HostAuditJob,
): Promise<HostAudit> {
  const input = {
    web: mirrorLayout(mirror).web,
    pins: job.pins,
    hash: job.hash,
    upstream: job.online ? mirror.upstream : null,
    proxy: mirror.proxy,
    targets: siteTargets(mirror),
    osv: job.osv,
    concurrency: 8,
    timeout: 30,
  }
  return runPythonJson(
    host,
    `Auditing ${job.pins.length} pinned releases`,
    auditProgram,
    [],
    hostAuditSchema,
    { stdin: JSON.stringify(input) },
  )
}
