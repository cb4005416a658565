#!/bin/sh
# The newest `python3.N` in the sandbox base image's bin directories, as "3.N".
# Usage: find-sandbox-python.sh SANDBOX_BASE
base=$1
for dir in "$base/usr/local/bin" "$base/usr/bin"; do
  [ -d "$dir" ] || continue
  # shellcheck disable=SC2010 # grep keeps only names that match python3.N exactly
  ls -1 -- "$dir" 2>/dev/null | grep -E '^python3\.[0-9]+$'
done | sed 's/^python//' | sort -t. -k2,2n | tail -n 1
