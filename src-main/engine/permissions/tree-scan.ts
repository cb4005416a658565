import type { RemoteHost } from '../ssh/remote-host'
import type { Accessor } from './mode-bits'
import { joinBranches, treeBranches, type TreeBranch } from './tree-predicates'

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

export interface TreeScan {
  root: string
  /** Kinds with at least one wrong entry. */
  wrong: WrongKind[]
  wrongFiles: number
  wrongDirectories: number
  symlinks: number
  outsideLinks: { count: number; examples: OutsideLink[] }
  /** Files to fetch over HTTP (relative paths), when the tree has any. */
  samples: { packageFile: string | null; project: string | null }
  /** find's exit status: non-zero means part of the tree could not be read. */
  findStatus: number
}

/**
 * One pass of `find` over the served tree, as root, selecting only the entries nginx's user
 * cannot use (the find expression arrives as "$@"); awk on the host counts them and keeps the
 * first few, so what crosses the connection is a summary whatever the tree's size. Symlinks are
 * resolved in a second pass only when there are any.
 */
export const TREE_SCAN_SCRIPT = `
set -u
web=$1; limit=$2; shift 2
summary=$( { find "$web" -mindepth 1 "$@" 2>/dev/null; printf 'find_status\\t%s\\n' "$?"; } | awk -v limit="$limit" '
  BEGIN { FS = "\\t" }
  $1 == "find_status" { print "status\\t" $2; next }
  { n[$1]++; if (n[$1] <= limit) print "example\\t" $0 }
  END { for (k in n) print "count\\t" k "\\t" n[k] }')
printf '%s\\n' "$summary"
tab=$(printf '\\t')
case "$summary" in
  *"count\${tab}link\${tab}"*)
    root=$(realpath -e -- "$web")
    find "$web" -mindepth 1 -type l -print 2>/dev/null | while IFS= read -r l; do
      t=$(realpath -m -- "$l")
      case "$t" in "$root"|"$root"/*) ;; *) printf 'outside\\t%s\\t%s\\n' "\${l#"$web"/}" "$t" ;; esac
    done | awk -v limit="$limit" '
      BEGIN { FS = "\\t" }
      { n++; if (n <= limit) print "example\\t" $0 }
      END { print "count\\toutside\\t" n + 0 }'
    ;;
esac
p=$(find "$web/packages" -type f -print -quit 2>/dev/null)
[ -n "$p" ] && printf 'sample\\tpackage\\t%s\\n' "\${p#"$web"/}"
p=$(find "$web/simple" -mindepth 1 -maxdepth 1 -type d -print -quit 2>/dev/null)
[ -n "$p" ] && printf 'sample\\tproject\\t%s\\n' "\${p#"$web"/simple/}"
exit 0
`

const ENTRY_FORMAT = '\\t%m\\t%U\\t%G\\t%u\\t%g\\t%P\\n'

/** The find expression after `-mindepth 1`: every wrong kind, and symlinks, each printed. */
export function scanExpression(branches: readonly TreeBranch[]): string[] {
  const linkBranch: TreeBranch = {
    tag: 'link',
    type: 'file',
    cls: 'others',
    grant: '',
    tests: ['-type', 'l'],
  }
  return joinBranches([...branches, linkBranch], (branch) => [
    '-printf',
    `${branch.tag}${ENTRY_FORMAT}`,
  ])
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
      const [, tag = '', mode = '', uid = '', gid = '', owner = '', group = ''] = fields
      const entry: TreeEntry = {
        path: fields.slice(7).join('\t'),
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
  return {
    root,
    wrong,
    wrongFiles: sum('file'),
    wrongDirectories: sum('directory'),
    symlinks: counts.get('link') ?? 0,
    outsideLinks: { count: counts.get('outside') ?? 0, examples: outside },
    samples,
    findStatus,
  }
}

/** Counts (and gives examples of) the entries under `root` that nginx's user cannot use. */
export async function scanServedTree(
  host: RemoteHost,
  root: string,
  accessor: Accessor,
): Promise<TreeScan> {
  const branches = treeBranches(accessor)
  const result = await host.readScript(
    TREE_SCAN_SCRIPT,
    [root, String(EXAMPLES_PER_KIND), ...scanExpression(branches)],
    { sudo: true },
  )
  return parseTreeScan(result.stdout, root, branches)
}
