#!/bin/sh
# Resolves the mirror's requirements again with upgrades, without changing the mirror: the
# resolver works on a copy of requirements.txt (its current pins are the preferences it keeps)
# in a temporary directory, and the new file is printed. Standard input becomes a constraints
# file beside it (the caps that keep each project to what the site's targets can install).
# Usage: resolve-upgrade.sh REQUIREMENTS_TXT OUT_PLACEHOLDER CONSTRAINTS_PLACEHOLDER RESOLVER_ARGV...
# Arguments equal to a placeholder become the name of the copy, or of the constraints file, in
# the temporary directory the resolver runs in (relative names: the file's comments name them).
set -u
source=$1; out_placeholder=$2; constraints_placeholder=$3; shift 3
dir=$(mktemp -d) || exit 1
trap 'rm -rf -- "$dir"' EXIT
cp -- "$source" "$dir/requirements.txt" || exit 1
cat > "$dir/constraints.txt" || exit 1
cd "$dir" || exit 1
n=$#
while [ "$n" -gt 0 ]; do
  arg=$1; shift
  if [ "$arg" = "$out_placeholder" ]; then arg=requirements.txt
  elif [ "$arg" = "$constraints_placeholder" ]; then arg=constraints.txt
  fi
  set -- "$@" "$arg"
  n=$((n - 1))
done
"$@" > /dev/null || exit $?
cat requirements.txt
