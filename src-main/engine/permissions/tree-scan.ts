import treeScanScript from './scripts/tree-scan.sh?raw'
import type { RemoteHost } from '../ssh/remote-host'
import { LAYOUT_NAMES } from './confinement'
import type { Accessor } from './mode-bits'
import { treeBranches, type TreeBranch } from './tree-predicates'

/** How many examples of each kind the scan sends back; the rest are only counted. */
export const EXAMPLES_PER_KIND = 5

export interface TreeEntry {
  /** Relative to the served directory. */
  path: string
  mode: number
  uid: number
  gid: number
  owner: string
  group: string
}

export interface WrongKind {
  branch: TreeBranch
  count: number
  examples: TreeEntry[]
}

export interface OutsideLink {
  path: string
  target: string
}

/** Some entries of one kind: how many, and the first few. */
export interface EntrySample {
  count: number
  examples: TreeEntry[]
}

/** What the repair never changes, and why: each is reported, none is followed or entered. */
export interface LeftAlone {
  /** Top-level entries of web/ that are not bandersnatch's layout. */
  foreign: EntrySample
  /** Files with more than one hard link that someone other than the mirror's owner owns. */
  sharedLinks: EntrySample
  /** Mount points inside the tree (find stays on one filesystem). */
  otherFilesystems: EntrySample
  /** Devices, sockets and pipes. */
  special: EntrySample
}

export interface TreeScan {
  root: string
  /** Kinds with at least one wrong entry (inside the layout, on its filesystem). */
  wrong: WrongKind[]
  wrongFiles: number
  wrongDirectories: number
  /** Files and directories of the layout (what the seed's fix rewrites), web/ itself excluded. */
  layoutEntries: number
  symlinks: number
  outsideLinks: { count: number; examples: OutsideLink[] }
  leftAlone: LeftAlone
  /** Files to fetch over HTTP (relative paths), when the tree has any. */
  samples: { packageFile: string | null; project: string | null }
  /** find's exit status: non-zero means part of the tree could not be read. */
  findStatus: number
}

/** See scripts/tree-scan.sh. */
export const TREE_SCAN_SCRIPT: string = treeScanScript

const ENTRY_FORMAT = '\\t%D\\t%y\\t%m\\t%U\\t%G\\t%u\\t%g\\t%P\\n'

/** Without owner and group names: find looks those up for every entry it prints. */
const OK_DIRECTORY_FORMAT = '\\t%D\\t%y\\t%m\\t%U\\t%G\\t\\t\\t%P\\n'

function tagged(
  tag: string,
  tests: readonly string[],
  extra: readonly string[] = [],
  format = ENTRY_FORMAT,
): string[] {
  return ['(', ...tests, '-printf', `${tag}${format}`, ...extra, ')']
}

/**
 * The find expression after `-mindepth 1`, run from inside the served directory: foreign
 * top-level names (pruned), links, special files, hard links another user owns, every wrong
 * kind, and everything else as `ok`; the first test an entry passes decides its tag, as the
 * repair's helper decides it.
 */
export function scanExpression(branches: readonly TreeBranch[], ownerUid: number): string[] {
  const names = LAYOUT_NAMES.flatMap((name, i) =>
    i === 0 ? ['-name', name] : ['-o', '-name', name],
  )
  const clauses = [
    tagged('foreign', ['-path', './*', '!', '-path', './*/*', '!', '(', ...names, ')'], ['-prune']),
    tagged('link', ['-type', 'l']),
    tagged('special', ['!', '-type', 'f', '!', '-type', 'd']),
    tagged('shared', ['-type', 'f', '-links', '+1', '!', '-uid', String(ownerUid)]),
    ...branches.map((branch) => tagged(branch.tag, branch.tests)),
  ]
  // Everything else is fine: counted only (the seed's count), in as few bytes as possible; a
  // directory keeps its path, for when it turns out to be a mount point.
  return [
    ...clauses.flatMap((clause, i) => (i === 0 ? clause : ['-o', ...clause])),
    '-o',
    ...tagged('ok', ['-type', 'd'], [], OK_DIRECTORY_FORMAT),
    '-o',
    '-printf',
    'ok\\t%D\\t%y\\n',
  ]
}

export function parseTreeScan(
  text: string,
  root: string,
  branches: readonly TreeBranch[],
): TreeScan {
  const counts = new Map<string, number>()
  const examples = new Map<string, TreeEntry[]>()
  const outside: OutsideLink[] = []
  const samples: TreeScan['samples'] = { packageFile: null, project: null }
  let findStatus = 0
  for (const line of text.split('\n')) {
    const fields = line.split('\t')
    const [kind, a = '', b = ''] = fields
    if (kind === 'status') findStatus = Number(a)
    else if (kind === 'count') counts.set(a, Number(b))
    else if (kind === 'sample' && a === 'package') samples.packageFile = fields.slice(2).join('\t')
    else if (kind === 'sample' && a === 'project') samples.project = fields.slice(2).join('\t')
    else if (kind === 'example' && a === 'outside')
      outside.push({ path: b, target: fields.slice(3).join('\t') })
    else if (kind === 'example') {
      const [, tag = '', , , mode = '', uid = '', gid = '', owner = '', group = ''] = fields
      const entry: TreeEntry = {
        path: fields.slice(9).join('\t'),
        mode: parseInt(mode, 8),
        uid: Number(uid),
        gid: Number(gid),
        owner,
        group,
      }
      examples.set(tag, [...(examples.get(tag) ?? []), entry])
    }
  }
  const wrong = branches
    .map((branch) => ({
      branch,
      count: counts.get(branch.tag) ?? 0,
      examples: examples.get(branch.tag) ?? [],
    }))
    .filter((kind) => kind.count > 0)
  const sum = (type: TreeBranch['type']): number =>
    wrong.filter((kind) => kind.branch.type === type).reduce((total, kind) => total + kind.count, 0)
  const sample = (tag: string): EntrySample => ({
    count: counts.get(tag) ?? 0,
    examples: examples.get(tag) ?? [],
  })
  const wrongFiles = sum('file')
  const wrongDirectories = sum('directory')
  return {
    root,
    wrong,
    wrongFiles,
    wrongDirectories,
    layoutEntries: wrongFiles + wrongDirectories + (counts.get('ok') ?? 0),
    symlinks: counts.get('link') ?? 0,
    outsideLinks: { count: counts.get('outside') ?? 0, examples: outside },
    leftAlone: {
      foreign: sample('foreign'),
      sharedLinks: sample('shared'),
      otherFilesystems: sample('otherfs'),
      special: sample('special'),
    },
    samples,
    findStatus,
  }
}

/**
 * Counts (and gives examples of) the entries of the layout under `root` (a real path) that
 * nginx's user cannot use, and of what the repair leaves alone. `ownerUid`: the mirror's owner.
 */
export async function scanServedTree(
  host: RemoteHost,
  root: string,
  accessor: Accessor,
  ownerUid: number,
): Promise<TreeScan> {
  const branches = treeBranches(accessor)
  const result = await host.readScript(
    TREE_SCAN_SCRIPT,
    [
      root,
      String(EXAMPLES_PER_KIND),
      LAYOUT_NAMES.join(','),
      ...scanExpression(branches, ownerUid),
    ],
    { sudo: true },
  )
  return parseTreeScan(result.stdout, root, branches)
}
