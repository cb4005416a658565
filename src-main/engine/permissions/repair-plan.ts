import { unifiedDiff } from '../config/diff'
import type { StepPlan } from '../steps/step'
import type { Cause, MirrorDiagnosis, PermissionFinding } from './diagnosis'
import { nginxReloadArgv } from './nginx-control'
import { fixAliasSlash } from './nginx-site-text'
import { safeChmodArgv } from './safe-chmod'
import { treeRepairArgv } from './tree-predicates'
import { describeAction, type RepairAction, type RepairMode } from './repair-actions'

export type { RepairAction, RepairMode } from './repair-actions'

export interface RepairPlan extends StepPlan {
  mode: RepairMode
  /** In the order they run. */
  actions: RepairAction[]
  /** How many filesystem entries get a new mode or owner. */
  entries: number
  /** Blockers this repair cannot remove (no mirror yet, SELinux labels, a missing site). */
  unfixable: PermissionFinding[]
  /** What the plan was made from (findings and the URLs that failed). */
  diagnosis: MirrorDiagnosis
}

export interface RepairPlanInput {
  mode: RepairMode
  /** Entries under the mirror directory (only needed for the seed mode, which touches all). */
  mirrorEntries?: number
}

function pathActions(diagnosis: MirrorDiagnosis, onlyOutside: string | null): RepairAction[] {
  return (diagnosis.path?.blockers ?? []).flatMap((verdict): RepairAction[] => {
    const { component } = verdict
    if (!verdict.grant || verdict.modeAfter === null) return []
    if (
      onlyOutside &&
      (component.path === onlyOutside || component.path.startsWith(`${onlyOutside}/`))
    )
      return []
    return [
      {
        kind: 'chmod-path',
        path: component.path,
        grant: verdict.grant,
        argv: safeChmodArgv(verdict.grant, [component.path]),
        before: component.mode,
        after: verdict.modeAfter,
        owner: component.owner,
        group: component.group,
      },
    ]
  })
}

function treeAction(diagnosis: MirrorDiagnosis): RepairAction[] {
  const wrong = diagnosis.tree?.wrong ?? []
  if (wrong.length === 0) return []
  return [
    {
      kind: 'chmod-tree',
      root: diagnosis.tree?.root ?? diagnosis.webRoot,
      grants: wrong.map((kind) => ({
        type: kind.branch.type,
        grant: kind.branch.grant,
        count: kind.count,
        examples: kind.examples.map((entry) => entry.path),
      })),
      argv: treeRepairArgv(
        diagnosis.tree?.root ?? diagnosis.webRoot,
        wrong.map((kind) => kind.branch),
      ),
    },
  ]
}

function siteActions(diagnosis: MirrorDiagnosis): RepairAction[] {
  const site = diagnosis.nginxSite
  const actions: RepairAction[] = []
  const text = site.text
  if (text !== null && site.effectivePath && site.analysis?.slashMismatch) {
    const after = fixAliasSlash(text, {
      location: site.analysis.location ?? '/',
      webRoot: diagnosis.webRoot,
    })
    if (after !== text)
      actions.push({
        kind: 'edit-site',
        path: site.effectivePath,
        before: text,
        after,
        diff: unifiedDiff(text, after, { path: site.effectivePath }),
      })
  }
  if (site.exists && (site.enabled === 'missing' || site.enabled === 'dangling'))
    actions.push({ kind: 'enable-site', available: site.availablePath, enabled: site.enabledPath })
  const running = diagnosis.nginx.running
  const configChanged = actions.length > 0
  if (!running && diagnosis.nginx.user)
    actions.push({
      kind: 'nginx',
      argv: nginxReloadArgv(site.init, false),
      why: 'start nginx: it is not running',
    })
  else if (configChanged || site.listening === false)
    actions.push({
      kind: 'nginx',
      argv: nginxReloadArgv(site.init, true),
      why: configChanged
        ? 'reload nginx so that it serves the corrected site'
        : 'reload nginx: the enabled site is not being served',
    })
  return actions
}

function seedActions(diagnosis: MirrorDiagnosis, entries: number): RepairAction[] {
  const owner = `${diagnosis.nginx.user?.name ?? diagnosis.nginx.userName}:`
  return [
    {
      kind: 'seed-chmod',
      root: diagnosis.mirrorDir,
      entries,
      argv: ['chmod', '-R', '755', diagnosis.mirrorDir],
    },
    {
      kind: 'seed-chown',
      root: diagnosis.mirrorDir,
      entries,
      owner,
      argv: ['chown', '-R', owner, diagnosis.mirrorDir],
    },
  ]
}

/** What each kind of action removes. */
const FIXED_BY: Partial<Record<Cause, RepairAction['kind'][]>> = {
  'nginx-not-running': ['nginx'],
  'site-not-enabled': ['enable-site'],
  'alias-slash': ['edit-site'],
  'not-listening': ['nginx'],
  'path-blocked': ['chmod-path', 'seed-chmod'],
  'files-unreadable': ['chmod-tree', 'seed-chmod'],
  'directories-closed': ['chmod-tree', 'seed-chmod'],
}

function isFixedBy(finding: PermissionFinding, actions: readonly RepairAction[]): boolean {
  if (finding.severity !== 'blocker') return true
  const kinds = FIXED_BY[finding.cause] ?? []
  return actions.some((action) => kinds.includes(action.kind))
}

function ownerOf(diagnosis: MirrorDiagnosis): string {
  const dir = diagnosis.path?.verdicts.find((v) => v.component.path === diagnosis.mirrorDir)
  return dir ? dir.component.owner : 'its owner'
}

/**
 * The repair as data, shown before anything runs. The least mode lists only what blocks
 * nginx's user and grants only to the permission class that user falls in; a healthy mirror
 * gets an empty plan.
 */
export function buildRepairPlan(diagnosis: MirrorDiagnosis, input: RepairPlanInput): RepairPlan {
  const user = diagnosis.nginx.user?.name ?? diagnosis.nginx.userName
  const owner = ownerOf(diagnosis)
  const seed = input.mode === 'seed'
  const actions: RepairAction[] = seed
    ? [
        ...pathActions(diagnosis, diagnosis.mirrorDir),
        ...seedActions(diagnosis, input.mirrorEntries ?? 0),
        ...siteActions(diagnosis),
      ]
    : [...pathActions(diagnosis, null), ...treeAction(diagnosis), ...siteActions(diagnosis)]
  const entries = actions.reduce((total, action) => {
    if (action.kind === 'chmod-path') return total + 1
    if (action.kind === 'chmod-tree')
      return total + action.grants.reduce((sum, grant) => sum + grant.count, 0)
    if (action.kind === 'seed-chmod') return total + action.entries
    return total
  }, 0)
  const unfixable = diagnosis.findings.filter((finding) => !isFixedBy(finding, actions))
  const notes: string[] = []
  if (seed)
    notes.push(
      `The seed's fix, chosen explicitly: chmod -R 755 and chown -R ${user}: on every entry of ${diagnosis.mirrorDir}. ` +
        `It rewrites the mode and owner of all ${input.mirrorEntries ?? 0} entries however few are wrong, makes every file executable, ` +
        `and hands the mirror to ${user}: nginx could then rewrite what it serves, and bandersnatch, running as ${owner}, can no longer write its next sync. ` +
        `It also leaves closed parent directories closed, so their grants are added. The default repair (least) changes only what blocks.`,
    )
  else
    notes.push(
      `Least change: only the entries ${user} cannot use get a permission bit, for ${user}'s permission class only; ` +
        `owners stay as they are (${diagnosis.mirrorDir} stays ${owner}'s, so syncs keep working).`,
    )
  if (actions.length === 0 && unfixable.length === 0)
    notes.push(
      `Nothing to repair: ${user} can reach and read the whole mirror${
        diagnosis.http.length > 0
          ? ` and ${diagnosis.http.map((probe) => `${probe.url} → ${probe.status}`).join(', ')}`
          : ''
      }.`,
    )
  for (const finding of unfixable)
    notes.push(`Not repaired here: ${finding.title}${finding.fix ? ` (${finding.fix})` : ''}`)
  return {
    mode: input.mode,
    actions,
    changes: actions.flatMap((action) => describeAction(action, user)),
    notes,
    entries,
    unfixable,
    diagnosis,
  }
}
