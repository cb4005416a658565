#!/bin/sh
# Compiles a worker's requirements.in against the mirror into requirements.txt, for a worker the
# same plan initialises: the sandboxes' Python is read from SANDBOX_BASE once `ol worker init` has
# made it (its own python3 asked with chroot, as OpenLambda starts every sandbox; else the newest
# python3.N in its bin directories), else FALLBACK (an empty SANDBOX_BASE: the Python is known,
# FALLBACK). Every "%PY%" in the header and the uv arguments becomes that
# version; the file is written atomically.
# Usage: compile-lambda-requirements.sh IN_FILE TXT_FILE SANDBOX_BASE FALLBACK HEADER UV_ARGV...
set -eu
in=$1 txt=$2 base=$3 fallback=$4 header=$5
shift 5
asked='' py=''
if [ -n "$base" ]; then
  asked=$(chroot "$base" python3 --version 2>&1 | sed -n 's/^Python \(3\.[0-9][0-9]*\)\..*/\1/p') || asked=''
  py=$(for found in "$base"/usr/local/bin/python3.* "$base"/usr/bin/python3.*; do
    name=${found##*/python}
    case "$name" in 3.[0-9] | 3.[0-9][0-9]) echo "$name" ;; esac
  done | sort -t. -k2,2n | tail -n 1)
fi
if [ -n "$asked" ]; then
  py=$asked
  echo "Python $py for the sandboxes, from chroot $base python3 --version"
elif [ -n "$py" ]; then
  echo "Python $py for the sandboxes, from python$py in the sandbox base $base"
elif [ -n "$base" ]; then
  py=$fallback
  echo "Python $py for the sandboxes: the mirror's lowest (no python3.N in $base)"
else
  py=$fallback
fi
for arg in "$@"; do
  shift
  [ "$arg" = %PY% ] && arg=$py
  set -- "$@" "$arg"
done
tmp="$txt.pmw-tmp"
trap 'rm -f -- "$tmp"' EXIT
{ printf '%s\n' "$header" | sed "s/%PY%/$py/g"; "$@" <"$in"; } >"$tmp"
mv -f -- "$tmp" "$txt"
trap - EXIT
