#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what it needs, then lint, typecheck, build,
# unit, integration (real sshd, nginx, sudo, bandersnatch) and end-to-end (Chromium) tests.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then
  echo "The integration tests create local users and start sshd and nginx: running as root with sudo."
  exec sudo -E bash "$0" "$@"
fi
bash scripts/install-test-deps.sh
# Everything below runs on the Node the install step checked or brought (see with-node.mjs).
PATH="$(node scripts/with-node.mjs --bin-dir):$PATH"
export PATH
echo "==> node $(node --version) ($(command -v node))"
echo "==> lint";      npm run --silent lint
echo "==> typecheck"; npm run --silent typecheck
echo "==> build";     npm run --silent build
echo "==> tests";     npx vitest run "$@"
