import {
  EXECUTE,
  READ,
  classBits,
  grantFor,
  missingBits,
  modeString,
  octal,
  permissionClass,
  withGrant,
  type Accessor,
  type PermissionClass,
} from './mode-bits'

export type ComponentKind = 'directory' | 'symlink' | 'file' | 'other' | 'missing'

/** What `lstat` says about one component of the path to the served directory. */
export interface PathComponent {
  path: string
  kind: ComponentKind
  /** Permission bits only (0o7777). */
  mode: number
  uid: number
  gid: number
  owner: string
  group: string
  /** `dev:ino`: the same directory reached by two names (through a symlink) is checked once. */
  inode: string
  linkTarget?: string
}

export interface ComponentVerdict {
  component: PathComponent
  /** The bits nginx needs here: x to pass through, r as well for the served directory. */
  needs: number
  cls: PermissionClass | null
  /** Bits from `needs` that the applicable class lacks; 0 when nginx gets through. */
  missing: number
  /** The least chmod that lets nginx through, such as `o+x`; null when none is needed or none helps. */
  grant: string | null
  modeAfter: number | null
  /** Why it blocks, for a person (the component is named beside it); null when it does not. */
  reason: string | null
}

export interface PathWalkInput {
  /** Components of the path as configured, from `/` down to the served directory. */
  literal: readonly PathComponent[]
  /** Components of its real path, when symlinks make that differ (else empty). */
  canonical: readonly PathComponent[]
  servedRoot: string
  canonicalRoot: string | null
}

export interface PathWalk {
  servedRoot: string
  canonicalRoot: string | null
  verdicts: ComponentVerdict[]
  /** Every component that blocks, in walking order. */
  blockers: ComponentVerdict[]
  firstBlocker: ComponentVerdict | null
}

function purpose(missing: number): string {
  if (missing === (READ | EXECUTE)) return 'r to list it and x to pass through it are both missing'
  if (missing === EXECUTE) return 'x, needed to pass through it, is missing'
  return 'r, needed to list it, is missing'
}

function relation(component: PathComponent, cls: PermissionClass, accessor: Accessor): string {
  switch (cls) {
    case 'owner':
      return `${accessor.name} owns it, so the owner bits apply`
    case 'group':
      return `${accessor.name} is in its group ${component.group}, so the group bits apply`
    case 'others':
      return `${accessor.name} is neither its owner ${component.owner} nor in its group ${component.group}, so the others bits apply`
  }
}

/** `/home/ops (ops:ops 0750 drwxr-x---)` */
export function describeComponent(component: PathComponent): string {
  return `${component.path} (${component.owner}:${component.group} ${octal(component.mode)} ${modeString(component.mode)})`
}

function judge(
  component: PathComponent,
  isServedRoot: boolean,
  accessor: Accessor,
): ComponentVerdict {
  const none = { cls: null, missing: 0, grant: null, modeAfter: null, reason: null }
  switch (component.kind) {
    case 'missing':
      return { component, needs: 0, ...none, reason: 'does not exist' }
    case 'symlink':
      return { component, needs: 0, ...none }
    case 'file':
    case 'other':
      return { component, needs: 0, ...none, reason: 'is not a directory' }
    case 'directory':
      break
  }
  const needs = isServedRoot ? READ | EXECUTE : EXECUTE
  if (accessor.uid === 0) return { component, needs, ...none }
  const cls = permissionClass(component, accessor)
  const missing = missingBits(component.mode, cls, needs)
  if (missing === 0) return { component, needs, ...none, cls }
  const bits = classBits(component.mode, cls)
  const have = modeString(bits, '-').slice(7)
  return {
    component,
    needs,
    cls,
    missing,
    grant: grantFor(cls, missing),
    modeAfter: withGrant(component.mode, cls, missing),
    reason: `${relation(component, cls, accessor)} (${have}); ${purpose(missing)}`,
  }
}

/**
 * Decides, from stat data alone, whether nginx's workers can reach the served directory: x on
 * every directory from `/` down, r and x on the served directory itself. Names every component
 * that blocks, why, and the least chmod that opens it for that user's class only.
 */
export function analyzePathWalk(input: PathWalkInput, accessor: Accessor): PathWalk {
  const seen = new Set<string>()
  const verdicts: ComponentVerdict[] = []
  // nginx meets the real path's directories where the first symlink sends it there.
  const firstLink = input.literal.findIndex((component) => component.kind === 'symlink')
  const cut = firstLink < 0 ? input.literal.length : firstLink + 1
  const inWalkingOrder = [
    ...input.literal.slice(0, cut),
    ...input.canonical,
    ...input.literal.slice(cut),
  ]
  for (const component of inWalkingOrder) {
    if (component.kind !== 'missing') {
      if (seen.has(component.inode)) continue
      seen.add(component.inode)
    }
    const isServedRoot =
      component.path === input.servedRoot || component.path === input.canonicalRoot
    verdicts.push(judge(component, isServedRoot, accessor))
  }
  const blockers = verdicts.filter((verdict) => verdict.reason !== null)
  return {
    servedRoot: input.servedRoot,
    canonicalRoot: input.canonicalRoot,
    verdicts,
    blockers,
    firstBlocker: blockers[0] ?? null,
  }
}
