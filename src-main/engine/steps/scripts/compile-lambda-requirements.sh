#!/bin/sh
# Compiles a worker's requirements.in against the mirror into requirements.txt, once the tools
# this plan installs are there: the header, then uv's pinned output, written atomically.
# Usage: compile-lambda-requirements.sh IN_FILE TXT_FILE HEADER UV_ARGV...
set -eu
in=$1 txt=$2 header=$3
shift 3
tmp="$txt.pmw-tmp"
trap 'rm -f -- "$tmp"' EXIT
{ printf '%s\n' "$header"; "$@" <"$in"; } >"$tmp"
mv -f -- "$tmp" "$txt"
trap - EXIT
