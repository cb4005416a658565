#!/bin/sh
# After a successful sync: records what it mirrored, as "SHA256(config) SHA256(requirements)".
# Usage: record-synced-inputs.sh CONFIG REQUIREMENTS OUTPUT
set -eu
conf=$(sha256sum <"$1" | cut -c1-64)
txt=$(sha256sum <"$2" | cut -c1-64)
printf '%s %s\n' "$conf" "$txt" >"$3.tmp"
mv -f -- "$3.tmp" "$3"
