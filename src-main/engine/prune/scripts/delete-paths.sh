#!/bin/sh
# Deletes exactly the files a prune planned, and nothing through a symbolic link.
# Usage: delete-paths.sh WEB PATH...
# Each PATH must be a regular file under WEB/packages/, or an index page or saved JSON of a
# project (WEB/simple/NAME/index.*, WEB/json/NAME, WEB/pypi/NAME/json), with no "." or ".."
# component, reached without a symbolic link. Directories left empty go too, up to (never
# including) WEB/packages, WEB/simple and WEB/pypi. Prints one line per path:
# "deleted P", "gone P" (already absent) or "refused P: why"; exits 1 if any was refused.
web=$1; shift
webreal=$(cd -P -- "$web" 2>/dev/null && pwd -P) || { echo "refused $web: cannot enter it"; exit 1; }
status=0
for p in "$@"; do
  case $p in
    "$web"/packages/*|"$web"/simple/*/index.html|"$web"/simple/*/index.v1_html|"$web"/simple/*/index.v1_json|"$web"/json/*|"$web"/pypi/*/json) ;;
    *) echo "refused $p: not something a prune deletes"; status=1; continue ;;
  esac
  case $p/ in
    */../*|*/./*|*//*) echo "refused $p: a relative or empty path component"; status=1; continue ;;
  esac
  if [ -L "$p" ]; then echo "refused $p: a symbolic link"; status=1; continue; fi
  if [ ! -e "$p" ]; then echo "gone $p"; continue; fi
  if [ ! -f "$p" ]; then echo "refused $p: not a regular file"; status=1; continue; fi
  dir=$(dirname -- "$p")
  real=$(cd -P -- "$dir" 2>/dev/null && pwd -P) || { echo "refused $p: cannot enter its directory"; status=1; continue; }
  if [ "$real" != "$webreal${dir#"$web"}" ]; then
    echo "refused $p: reached through a symbolic link"; status=1; continue
  fi
  if ! rm -f -- "$p"; then echo "refused $p: rm failed"; status=1; continue; fi
  echo "deleted $p"
  while :; do
    case $dir in "$web"/packages/*|"$web"/simple/*|"$web"/pypi/*) ;; *) break ;; esac
    [ -L "$dir" ] && break
    rmdir -- "$dir" 2>/dev/null || break
    dir=$(dirname -- "$dir")
  done
done
exit $status
