import { unifiedDiff } from '../config/diff'
import type { StepPlan } from '../steps/step'
import { forbiddenHere, LAYOUT_NAMES } from './confinement'
import { seedArgv, traverseArgv, treeRepairArgv, type RepairScope } from './confined-repair'
import type { Cause, MirrorDiagnosis, PermissionFinding } from './diagnosis'
import { plural } from './findings'
import { nginxReloadArgv } from './nginx-control'
import { fixAliasSlash } from './nginx-site-text'
import { describeAction, type RepairAction, type RepairMode } from './repair-actions'

export type { RepairAction, RepairMode } from './repair-actions'

/** The seed's mode, as the original procedure's `chmod -R 755`. */
export const SEED_MODE = '0755'

export interface RepairPlan extends StepPlan {
  mode: RepairMode
  /** In the order they run. */
  actions: RepairAction[]
  /** How many filesystem entries get a new mode or owner. */
  entries: number
  /** Blockers this repair cannot remove (no mirror yet, SELinux labels, a missing site). */
  unfixable: PermissionFinding[]
  /**
   * Why the repair refuses to change anything at all (the mirror or web/ resolves into a system
   * location or another person's home); the plan then has no actions and cannot be applied.
   */
  refusal: string | null
  /** The rules every permission change runs under (real paths, owner); null when none can. */
  scope: RepairScope | null
  /** What the plan was made from (findings and the URLs that failed). */
  diagnosis: MirrorDiagnosis
}

export interface RepairPlanInput {
  mode: RepairMode
}

function scopeOf(diagnosis: MirrorDiagnosis): RepairScope | null {
  const c = diagnosis.confinement
  if (c.refusal || !c.realWeb || c.ownerUid === null) return null
  return { mirror: c.mirrorDir, via: c.web, web: c.realWeb, owner: c.ownerUid }
}

/** Directories on the way (x only) and the served directory (r and x), never a forbidden one. */
function pathActions(
  diagnosis: MirrorDiagnosis,
  scope: RepairScope,
  skipServedRoot: boolean,
): RepairAction[] {
  return (diagnosis.path?.blockers ?? []).flatMap((verdict): RepairAction[] => {
    const { component } = verdict
    if (!verdict.grant || verdict.modeAfter === null) return []
    if (skipServedRoot && component.path === scope.web) return []
    if (forbiddenHere(diagnosis.confinement, component.path)) return []
    return [
      {
        kind: 'chmod-path',
        path: component.path,
        grant: verdict.grant,
        argv: traverseArgv(scope, verdict.grant, component.path),
        before: component.mode,
        after: verdict.modeAfter,
        owner: component.owner,
        group: component.group,
      },
    ]
  })
}

function treeAction(diagnosis: MirrorDiagnosis, scope: RepairScope): RepairAction[] {
  const wrong = diagnosis.tree?.wrong ?? []
  const user = diagnosis.nginx.user
  if (wrong.length === 0 || !user) return []
  const grants = wrong.map((kind) => ({
    type: kind.branch.type,
    grant: kind.branch.grant,
    count: kind.count,
    examples: kind.examples.map((entry) => entry.path),
  }))
  return [
    {
      kind: 'chmod-tree',
      root: scope.web,
      grants,
      argv: treeRepairArgv(scope, user, grants),
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

function seedAction(diagnosis: MirrorDiagnosis, scope: RepairScope): RepairAction[] {
  const user = diagnosis.nginx.user
  if (!user || !diagnosis.tree) return []
  return [
    {
      kind: 'seed',
      root: scope.web,
      entries: diagnosis.tree.layoutEntries + 1,
      mode: SEED_MODE,
      owner: user.name,
      mirrorOwner: diagnosis.confinement.owner ?? `uid ${scope.owner}`,
      argv: seedArgv(scope, SEED_MODE, { uid: user.uid, gid: user.gid }),
    },
  ]
}

/** What each kind of action removes. */
const FIXED_BY: Partial<Record<Cause, RepairAction['kind'][]>> = {
  'nginx-not-running': ['nginx'],
  'site-not-enabled': ['enable-site'],
  'alias-slash': ['edit-site'],
  'not-listening': ['nginx'],
  'files-unreadable': ['chmod-tree', 'seed'],
  'directories-closed': ['chmod-tree', 'seed'],
}

function isFixedBy(finding: PermissionFinding, actions: readonly RepairAction[]): boolean {
  if (finding.severity !== 'blocker') return true
  if (finding.cause === 'path-blocked')
    return actions.some(
      (action) =>
        (action.kind === 'chmod-path' && action.path === finding.subject) ||
        (action.kind === 'seed' && action.root === finding.subject),
    )
  const kinds = FIXED_BY[finding.cause] ?? []
  return actions.some((action) => kinds.includes(action.kind))
}

function ownerOf(diagnosis: MirrorDiagnosis): string {
  return diagnosis.confinement.owner ?? 'its owner'
}

/** Where the repair acts, and what it found there and leaves alone, for the operator. */
function scopeNotes(diagnosis: MirrorDiagnosis, scope: RepairScope): string[] {
  const notes: string[] = []
  const c = diagnosis.confinement
  if (c.realMirrorDir && c.realMirrorDir !== c.mirrorDir)
    notes.push(`The mirror directory ${c.mirrorDir} resolves to ${c.realMirrorDir}.`)
  if (scope.web !== scope.via)
    notes.push(
      `${scope.via} resolves to ${scope.web}: the repair acts there, and the helper refuses to run if it resolves anywhere else by then.`,
    )
  const tree = diagnosis.tree
  if (!tree) return notes
  const left = [
    tree.leftAlone.foreign.count > 0
      ? `${plural(tree.leftAlone.foreign.count, 'foreign entry')} (${tree.leftAlone.foreign.examples.map((e) => e.path).join(', ')})`
      : null,
    tree.symlinks > 0
      ? `${plural(tree.symlinks, 'symlink')}${tree.outsideLinks.count > 0 ? ` (${tree.outsideLinks.examples.map((l) => `${l.path} → ${l.target}`).join(', ')})` : ''}`
      : null,
    tree.leftAlone.sharedLinks.count > 0
      ? `${plural(tree.leftAlone.sharedLinks.count, 'hard link')} that ${ownerOf(diagnosis)} does not own (${tree.leftAlone.sharedLinks.examples.map((e) => `${e.path}, ${e.owner}'s`).join('; ')})`
      : null,
    tree.leftAlone.otherFilesystems.count > 0
      ? `${plural(tree.leftAlone.otherFilesystems.count, 'entry')} on another filesystem`
      : null,
    tree.leftAlone.special.count > 0
      ? `${plural(tree.leftAlone.special.count, 'special file')}`
      : null,
  ].filter(Boolean)
  if (left.length > 0) notes.push(`Left alone in ${scope.web}: ${left.join('; ')}.`)
  return notes
}

function refusedPlan(
  diagnosis: MirrorDiagnosis,
  input: RepairPlanInput,
  refusal: string,
): RepairPlan {
  return {
    mode: input.mode,
    actions: [],
    changes: [],
    notes: [
      `Refused: ${refusal}. The repair changes nothing anywhere (not even nginx) until the mirror's served directory is a place of its own.`,
    ],
    entries: 0,
    unfixable: diagnosis.findings.filter((finding) => finding.severity === 'blocker'),
    refusal,
    scope: null,
    diagnosis,
  }
}

/**
 * The repair as data, shown before anything runs. The least mode lists only what blocks
 * nginx's user and grants only to the permission class that user falls in; a healthy mirror
 * gets an empty plan. Every permission change is confined to the directories on the way and
 * bandersnatch's layout in the served directory's real path; a mirror that resolves into a
 * system location or another person's home gets no plan at all, only the refusal.
 */
export function buildRepairPlan(diagnosis: MirrorDiagnosis, input: RepairPlanInput): RepairPlan {
  const refusal = diagnosis.confinement.refusal
  if (refusal) return refusedPlan(diagnosis, input, refusal)
  const user = diagnosis.nginx.user?.name ?? diagnosis.nginx.userName
  const owner = ownerOf(diagnosis)
  const seed = input.mode === 'seed'
  const scope = scopeOf(diagnosis)
  const permissionActions = !scope
    ? []
    : seed
      ? [...pathActions(diagnosis, scope, true), ...seedAction(diagnosis, scope)]
      : [...pathActions(diagnosis, scope, false), ...treeAction(diagnosis, scope)]
  const actions = [...permissionActions, ...siteActions(diagnosis)]
  const entries = actions.reduce((total, action) => {
    if (action.kind === 'chmod-path') return total + 1
    if (action.kind === 'chmod-tree')
      return total + action.grants.reduce((sum, grant) => sum + grant.count, 0)
    if (action.kind === 'seed') return total + action.entries
    return total
  }, 0)
  const unfixable = diagnosis.findings.filter((finding) => !isFixedBy(finding, actions))
  const served = scope?.web ?? diagnosis.webRoot
  const notes: string[] = []
  if (seed)
    notes.push(
      `The seed's fix, chosen explicitly: mode ${SEED_MODE} and owner ${user} on every file and directory of bandersnatch's layout in ${served} (${LAYOUT_NAMES.join(', ')}), however few are wrong; every file becomes executable. ` +
        `Only the served directory: the sync wrapper, bandersnatch.conf, the requirements and the logs in ${diagnosis.mirrorDir} stay ${owner}'s. Given to ${user}, whoever takes over nginx could rewrite the wrapper that the schedule runs as ${owner}, or the config that bandersnatch obeys. ` +
        `Even so, nginx could then rewrite what it serves, and bandersnatch, running as ${owner}, can no longer write its next sync. ` +
        `Closed directories on the way get x only. The default repair (least) changes only what blocks.`,
    )
  else
    notes.push(
      `Least change: only the entries ${user} cannot use get a permission bit, for ${user}'s permission class only; ` +
        `owners stay as they are (${diagnosis.mirrorDir} stays ${owner}'s, so syncs keep working). ` +
        `Only bandersnatch's layout in ${served} and the directories on the way to it (x only) are touched.`,
    )
  if (scope) notes.push(...scopeNotes(diagnosis, scope))
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
    refusal: null,
    scope,
    diagnosis,
  }
}
