#!/usr/bin/env bash
# Lints the programs that are not TypeScript: every shell script with shellcheck (Debian's) and
# every Python file with ruff (ruff.toml; pinned, in .cache/ruff-venv). Above all the remote
# programs the engine runs on hosts (src-main/**/scripts/), then the test bed's, the stand-ins',
# the bench's and these build scripts. Part of `npm run lint`; scripts/install-test-deps.sh
# installs both tools.
set -euo pipefail
cd "$(dirname "$0")/.."

ruff=.cache/ruff-venv/bin/ruff
missing=()
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
[ -x "$ruff" ] || missing+=("ruff ($ruff)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "lint: ${missing[*]} not installed: run scripts/install-test-deps.sh" >&2
  exit 1
fi

dirs=(src-main test bench scripts)
shell_scripts=()
while IFS= read -r -d '' file; do shell_scripts+=("$file"); done \
  < <(find "${dirs[@]}" -name node_modules -prune -o -type f -name '*.sh' -print0 | sort -z)

shellcheck --format=gcc "${shell_scripts[@]}"
"$ruff" check --quiet "${dirs[@]}"
echo "lint: shellcheck ($(shellcheck --version | sed -n 's/^version: //p')) on ${#shell_scripts[@]} shell scripts, $("$ruff" --version) on the Python: clean"
