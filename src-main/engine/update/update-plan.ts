import { createHash } from 'node:crypto'
import { runHostAudit, type HostAudit, type Vulnerability } from '../audit/host-audit'
import { readMirrorPins } from '../audit/mirror-pins'
import { osvRecordsFor, readOsvExport } from '../audit/osv-export'
import { resolveBuildBackends } from '../build-backends/resolve-build-backends'
import { EngineError } from '../errors'
import type { RemoteHost } from '../ssh/remote-host'
import { normalizeProjectName, type Site } from '#shared/site'
import { parsePinnedRequirements } from '../steps/pinned-requirements'
import { describePinChange, diffPins, type PinChange } from './pin-diff'
import { resolveUpgrade, targetCaps } from './resolve-upgrade'
import { retainedAfterUpdate, retainedText } from './retained-pins'
import {
  describeChoice,
  upgradeFlags,
  type SecurityFix,
  type UpgradeChoice,
} from '#shared/upgrade-choice'

/** An advisory as the update plan shows it beside a pin. */
export interface AdvisoryRef {
  id: string
  aliases: string[]
  summary: string
  fixVersion: string | null
}

export interface PlannedPinChange extends PinChange {
  /** Standing advisories of the old releases that the new ones leave behind. */
  fixes: AdvisoryRef[]
  /** Standing advisories of the new releases. */
  open: AdvisoryRef[]
  /** Why a new release is yanked upstream; null when none is. */
  yanked: string | null
}

/** What an update will do, as data: shown first, then written exactly as it is here. */
export interface UpdatePlan {
  choice: UpgradeChoice
  /** The resolver's upgrade flags. */
  flags: string[]
  /** requirements.txt and retained.txt as the plan found them on the host ('' when absent). */
  previous: { requirementsTxt: string; retainedTxt: string }
  requirementsTxt: string
  /**
   * build-systems.json for the new pins (their sdists' build backends, which requirementsTxt pins
   * too); null when nothing changes.
   */
  buildSystemsJson: string | null
  retainedTxt: string
  changes: PlannedPinChange[]
  unchanged: number
  /** Pins kept served until a prune, after the update (`name==version`). */
  retained: string[]
  notes: string[]
  /** sha256 of what the update writes: applying refuses to write anything else. */
  digest: string
}

export interface UpdateOptions {
  osvExport?: string | null
  offline?: boolean
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')

const standingOf = (vulns: Vulnerability[] | null | undefined): Vulnerability[] =>
  (vulns ?? []).filter((v) => v.withdrawn === null)

const ref = (v: Vulnerability): AdvisoryRef => ({
  id: v.id,
  aliases: v.aliases,
  summary: v.summary,
  fixVersion: v.fixVersion,
})

/** The pins with a standing advisory that a release the targets can install fixes. */
export function securityFixes(audit: HostAudit): { fixes: SecurityFix[]; unfixable: string[] } {
  const fixes: SecurityFix[] = []
  const unfixable: string[] = []
  for (const release of audit.releases) {
    const standing = standingOf(release.vulnerabilities)
    if (standing.length === 0) continue
    const fixable = standing.filter((v) => v.fixVersion !== null && v.newestFixes)
    if (fixable.length > 0 && release.fixFloor)
      fixes.push({
        name: release.name,
        atLeast: release.fixFloor,
        advisories: fixable.map((v) => v.id),
      })
    for (const v of standing.filter((s) => !fixable.includes(s)))
      unfixable.push(
        `${release.name}==${release.version}: ${v.id} ${v.fixVersion ? `is fixed in ${v.fixVersion}, which the site's targets cannot install` : 'has no fixed release'}`,
      )
  }
  return { fixes, unfixable }
}

function checkProjects(choice: UpgradeChoice, pinned: Set<string>): void {
  if (choice.kind !== 'projects') return
  const unknown = choice.projects.filter((p) => !pinned.has(normalizeProjectName(p)))
  if (unknown.length > 0)
    throw new EngineError(`Not pinned in this mirror: ${unknown.join(', ')}`, {
      hint: `name projects the mirror pins (pip-mirror audit lists them); add new ones with "Add packages"`,
    })
}

function withAdvisories(change: PinChange, audit: HostAudit): PlannedPinChange {
  const of = (version: string) =>
    audit.releases.find((r) => r.name === change.name && r.version === version)
  const before = change.from.flatMap((v) => standingOf(of(v)?.vulnerabilities))
  const after = change.to.flatMap((v) => standingOf(of(v)?.vulnerabilities))
  const afterIds = new Set(after.map((v) => v.id))
  const yanked = change.to.map(of).find((r) => r?.yanked)
  return {
    ...change,
    fixes: before.filter((v) => !afterIds.has(v.id)).map(ref),
    open: after.map(ref),
    yanked: yanked ? (yanked.yankedReason ?? 'yanked (no reason given)') : null,
  }
}

/** `alpha 1.0 → 1.1 (fixes PYSEC-1)`: one line of the plan. */
export function describePlannedChange(change: PlannedPinChange): string {
  const notes = [
    ...(change.fixes.length ? [`fixes ${change.fixes.map((v) => v.id).join(', ')}`] : []),
    ...(change.open.length ? [`still affected by ${change.open.map((v) => v.id).join(', ')}`] : []),
    ...(change.yanked !== null ? [`yanked upstream: ${change.yanked}`] : []),
  ]
  return `${describePinChange(change)}${notes.length ? ` (${notes.join('; ')})` : ''}`
}

/**
 * Plans an update of the mirror's pins: resolves again on the mirror host with the chosen
 * upgrades (nothing written), compares the pins, and looks up the advisories of every release
 * that comes or goes. Pins that go stay served (retained.txt) until a prune.
 */
export async function planUpdate(
  host: RemoteHost,
  site: Site,
  choice: UpgradeChoice,
  options: UpdateOptions = {},
): Promise<UpdatePlan> {
  const pins = await readMirrorPins(host, site.mirror)
  checkProjects(choice, new Set(pins.pinned.map((p) => p.name)))
  const osvAll = options.osvExport ? await readOsvExport(options.osvExport) : null
  const advisories = (list: { name: string; version: string }[]) =>
    runHostAudit(host, site.mirror, {
      pins: list,
      hash: false,
      online: !options.offline,
      osv: osvAll
        ? osvRecordsFor(
            osvAll,
            list.map((p) => p.name),
          )
        : null,
    })
  const notes = [`Updating ${describeChoice(choice)}.`]
  const current = await advisories(pins.pinned.map(({ name, version }) => ({ name, version })))
  let fixes: SecurityFix[] = []
  if (choice.kind === 'security') {
    const found = securityFixes(current)
    fixes = found.fixes
    notes.push(...found.unfixable.map((line) => `cannot fix: ${line}`))
  }
  const flags = upgradeFlags(choice, fixes)
  const caps = targetCaps(current.releases)
  const previous = { requirementsTxt: pins.pinnedText, retainedTxt: pins.retainedText }
  const unchangedPlan = (): UpdatePlan => ({
    choice,
    flags,
    previous,
    requirementsTxt: pins.pinnedText,
    buildSystemsJson: null,
    retainedTxt: pins.retainedText,
    changes: [],
    unchanged: new Set(pins.pinned.map((p) => p.name)).size,
    retained: pins.retained.map((p) => `${p.name}==${p.version}`),
    notes,
    digest: sha256(`${pins.pinnedText}\0${pins.retainedText}`),
  })
  if (flags.length === 0) {
    notes.push('No known vulnerability of a pin has a fix the site can install: nothing to update.')
    return unchangedPlan()
  }
  if (caps.length > 0)
    notes.push(
      `Kept to what the site's targets install: ${caps.join(', ')} (newer releases have no file for them)`,
    )
  // The new pins' sdists need their build backends mirrored too, as the requirements step adds them.
  const backends = await resolveBuildBackends(
    host,
    site.mirror,
    await resolveUpgrade(host, site.mirror, flags, caps),
    (line) => notes.push(line),
  )
  const requirementsTxt = backends.requirementsTxt
  const newPins = parsePinnedRequirements(requirementsTxt)
  const diff = diffPins(pins.pinned, newPins)
  if (diff.changes.length === 0) {
    notes.push('Every pin is already the newest release the resolution allows.')
    return unchangedPlan()
  }
  const looked = diff.changes.flatMap((c) => [
    ...c.from.map((version) => ({ name: c.name, version })),
    ...c.to.map((version) => ({ name: c.name, version })),
  ])
  const audit = await advisories(looked)
  const retained = retainedAfterUpdate(pins.pinned, pins.retained, newPins)
  const retainedTxt = retained.length > 0 || pins.retainedText ? retainedText(retained) : ''
  const changes = diff.changes.map((c) => withAdvisories(c, audit))
  if (retained.length > 0)
    notes.push(
      `${retained.length} release(s) no longer pinned stay served until you prune them: ${retained.map((p) => `${p.name}==${p.version}`).join(', ')}`,
    )
  return {
    choice,
    flags,
    previous,
    requirementsTxt,
    buildSystemsJson: backends.buildSystemsJson,
    retainedTxt,
    changes,
    unchanged: diff.unchanged,
    retained: retained.map((p) => `${p.name}==${p.version}`),
    notes,
    digest: sha256(`${requirementsTxt}\0${retainedTxt}\0${backends.buildSystemsJson}`),
  }
}
