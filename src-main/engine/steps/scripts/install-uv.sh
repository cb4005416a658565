#!/bin/sh
# Creates the tools venv and installs uv in it, under a lock: several workers may share one
# filesystem (or be the mirror host itself) and be set up at the same time.
# Usage: install-uv.sh TOOLS_DIR VENV PYTHON UV_VERSION [PIP_OPTIONS...]
set -eu
dir=$1; venv=$2; python=$3; version=$4; shift 4
mkdir -p "$dir"
if command -v flock >/dev/null 2>&1; then exec 9>"$dir/.install.lock"; flock 9; fi
case "$("$venv/bin/uv" --version 2>/dev/null || true)" in
  "uv $version"|"uv $version "*) echo "uv $version is already installed"; exit 0 ;;
esac
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
"$venv/bin/python" -m pip install --disable-pip-version-check "uv==$version" "$@"
