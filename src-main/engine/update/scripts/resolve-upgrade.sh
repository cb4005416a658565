#!/bin/sh
# Resolves the mirror's requirements again with upgrades, without changing the mirror: the
# resolver works on a copy of requirements.txt (its current pins are the preferences it keeps)
# in a temporary directory, and the new file is printed.
# Usage: resolve-upgrade.sh REQUIREMENTS_TXT PLACEHOLDER RESOLVER_ARGV...
# Every argument equal to PLACEHOLDER becomes the path of the copy.
set -u
source=$1; placeholder=$2; shift 2
dir=$(mktemp -d) || exit 1
trap 'rm -rf -- "$dir"' EXIT
out=$dir/requirements.txt
cp -- "$source" "$out" || exit 1
n=$#
while [ "$n" -gt 0 ]; do
  arg=$1; shift
  [ "$arg" = "$placeholder" ] && arg=$out
  set -- "$@" "$arg"
  n=$((n - 1))
done
"$@" > /dev/null || exit $?
cat -- "$out"
