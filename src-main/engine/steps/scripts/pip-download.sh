#!/bin/sh
# pip downloads every pin in one go from the mirror; `Saved` lines say which came, `Ignoring`
# lines which the marker skipped. Usage: pip-download.sh PYTHON INDEX_URL HOST SPEC...
python=$1; index=$2; host=$3; shift 3
dir=$(mktemp -d)
trap 'rm -rf -- "$dir"' EXIT
# PIP_CONFIG_FILE=/dev/null: a pip.conf with extra indexes or find-links would hide a missing file.
PIP_CONFIG_FILE=/dev/null "$python" -m pip download --disable-pip-version-check --no-cache-dir --no-deps --index-url "$index" --trusted-host "$host" -d "$dir" "$@" 2>&1
