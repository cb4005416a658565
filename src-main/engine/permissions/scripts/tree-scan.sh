#!/bin/sh
# The served tree, as root, reading only: one pass of find over WEB (a real path) that stays on
# its filesystem and never follows a link. The find expression arrives as "$@": it prints one
# tagged line per entry (foreign top-level names, links, special files, shared hard links, each
# kind nginx's user cannot use, and "ok"); awk on the host counts them and keeps the first few,
# so what crosses the connection is a summary whatever the tree's size. A directory on another
# filesystem (a mount point inside) is counted as "otherfs", as the repair leaves it. Only
# directories: on overlayfs (containers), files report the device of the layer they are in.
# Usage: tree-scan.sh WEB LIMIT NAMES FIND-EXPRESSION...   (NAMES: the layout's, comma-separated)
set -u
web=$1
limit=$2
names=$3
shift 3
cd -- "$web" || exit 0
dev=$(stat -c %d .)
summary=$( { find . -xdev -mindepth 1 "$@" 2>/dev/null; printf 'find_status\t%s\n' "$?"; } | awk -v limit="$limit" -v dev="$dev" '
  BEGIN { FS = OFS = "\t" }
  $1 == "find_status" { print "status", $2; next }
  $3 == "d" && $2 != dev && $1 != "foreign" { $1 = "otherfs" }
  { n[$1]++; if ($1 != "ok" && n[$1] <= limit) print "example", $0 }
  END { for (k in n) print "count", k, n[k] }')
printf '%s\n' "$summary"
tab=$(printf '\t')
case "$summary" in
  *"count${tab}link${tab}"*)
    root=$(pwd -P)
    find . -xdev -mindepth 1 -type l -printf '%P\n' 2>/dev/null | while IFS= read -r l; do
      case ",$names," in *",${l%%/*},"*) ;; *) continue ;; esac
      t=$(realpath -m -- "$l")
      case "$t" in "$root" | "$root"/*) ;; *) printf 'outside\t%s\t%s\n' "$l" "$t" ;; esac
    done | awk -v limit="$limit" '
      BEGIN { FS = "\t" }
      { n++; if (n <= limit) print "example\t" $0 }
      END { print "count\toutside\t" n + 0 }'
    ;;
esac
p=$(find packages -xdev -type f -links 1 -print -quit 2>/dev/null)
[ -n "$p" ] && printf 'sample\tpackage\t%s\n' "$p"
p=$(find simple -xdev -mindepth 1 -maxdepth 1 -type d -print -quit 2>/dev/null)
[ -n "$p" ] && printf 'sample\tproject\t%s\n' "${p#simple/}"
exit 0
