#!/usr/bin/env bash
# Runs the benchmarks (all, or the ones named) and prints their tables. Needs root (sshd, nginx).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh >/dev/null
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  names=()
  for f in bench/*.ts; do names+=("$(basename "$f" .ts)"); done
fi
for name in "${names[@]}"; do
  echo "## $name"
  npx tsx --import ./scripts/raw-text-loader.mjs "bench/$name.ts"
  echo
done
