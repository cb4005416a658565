#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian/Ubuntu machine: the real peers the tests
# start (sshd, nginx, sudo, Chromium; debootstrap, tinyproxy and mkfs for the bare hosts), Node
# packages, the Node the build and test tools run on (when the machine's is older: .node-version's,
# from the npm registry, into .cache), a Python venv with bandersnatch, pip-tools and uv, and the
# linters `npm run lint` runs (shellcheck, ruff). Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

packages=(openssh-server openssh-client nginx sudo python3-venv python3-pip iproute2 chromium curl procps
  shellcheck debootstrap tinyproxy util-linux e2fsprogs)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> apt-get install ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> npm ci"
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund
fi

# A no-op when the machine's Node satisfies package.json's devEngines.runtime.
toolchain_node_dir=$(node scripts/with-node.mjs --bin-dir)
echo "==> Node for the toolchain: $toolchain_node_dir/node"

# The same venv test/testbed/pypi-standin.ts (ensureToolsVenv) uses.
venv=.cache/bandersnatch-venv
if [ ! -x "$venv/bin/bandersnatch" ] || [ ! -x "$venv/bin/pip-compile" ] || [ ! -x "$venv/bin/uv" ]; then
  echo "==> Python venv with bandersnatch, pip-tools and uv in $venv"
  mkdir -p .cache
  /usr/bin/python3 -m venv "$venv"
  "$venv/bin/pip" install -q 'bandersnatch==6.6.0' pip-tools uv
fi

# CycloneDX's own validator (cyclonedx-python-lib with its validation extra), for the audit's
# SBOM tests: the same venv test/testbed/sbom-validator.ts uses.
sbom_venv=.cache/sbom-validator-venv
if ! "$sbom_venv/bin/python" -c 'import cyclonedx.validation.json' 2>/dev/null; then
  echo "==> Python venv with cyclonedx-python-lib[validation] in $sbom_venv"
  mkdir -p .cache
  /usr/bin/python3 -m venv --clear "$sbom_venv"
  "$sbom_venv/bin/pip" install -q 'cyclonedx-python-lib[validation]==11.12.0'
fi

# ruff, pinned, for `npm run lint` (scripts/lint-remote-programs.sh; shellcheck comes from apt above).
ruff_version=0.17.6
ruff_venv=.cache/ruff-venv
if [ "$("$ruff_venv/bin/ruff" --version 2>/dev/null)" != "ruff $ruff_version" ]; then
  echo "==> ruff $ruff_version in $ruff_venv"
  mkdir -p .cache
  /usr/bin/python3 -m venv --clear "$ruff_venv"
  "$ruff_venv/bin/pip" install -q "ruff==$ruff_version"
fi
