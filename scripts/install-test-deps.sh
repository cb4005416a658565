#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian/Ubuntu machine: the real peers the tests
# start (sshd, nginx, sudo, Chromium; debootstrap, tinyproxy and mkfs for the bare hosts), Node
# packages, and a Python venv with bandersnatch, pip-tools and uv. Safe to run again: it only
# installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

packages=(openssh-server openssh-client nginx sudo python3-venv python3-pip iproute2 chromium curl procps
  debootstrap tinyproxy util-linux e2fsprogs)
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

# The same venv test/testbed/pypi-standin.ts (ensureToolsVenv) uses.
venv=.cache/bandersnatch-venv
if [ ! -x "$venv/bin/bandersnatch" ] || [ ! -x "$venv/bin/pip-compile" ] || [ ! -x "$venv/bin/uv" ]; then
  echo "==> Python venv with bandersnatch, pip-tools and uv in $venv"
  mkdir -p .cache
  /usr/bin/python3 -m venv "$venv"
  "$venv/bin/pip" install -q 'bandersnatch==6.6.0' pip-tools uv
fi
