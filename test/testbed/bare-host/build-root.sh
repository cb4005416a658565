#!/usr/bin/env bash
# Builds one bare Debian root for the test bed, once: Debian's own minimal system plus only
# openssh-server, sudo, ca-certificates and python3, as a freshly installed server has.
# Usage: build-root.sh SUITE DIR MIRROR_URI CA_DIR
# Builds under DIR.partial and renames it to DIR only when complete, holding DIR.lock meanwhile:
# a second run waits for the first and then finds DIR; a half-built root is never used.
set -euo pipefail
suite=$1 dir=$2 mirror=$3 ca_dir=$4

exec 9>"$dir.lock"
flock 9
[ -d "$dir" ] && exit 0
partial=$dir.partial
rm -rf "$partial"

debootstrap --variant=minbase --include=openssh-server,sudo,ca-certificates,python3 \
  "$suite" "$partial" "$mirror" >"$partial.log" 2>&1 ||
  { tail -n 30 "$partial.log" >&2; exit 1; }
rm -f "$partial.log"

# This machine reaches HTTPS registries through its own CAs: the host needs them too.
if compgen -G "$ca_dir/*.crt" >/dev/null; then
  cp "$ca_dir"/*.crt "$partial/usr/local/share/ca-certificates/"
  chroot "$partial" update-ca-certificates >/dev/null 2>&1
fi

# Every copy of the root is a different host: each makes its own SSH host keys when it starts.
rm -f "$partial"/etc/ssh/ssh_host_*
# What a fresh install leaves behind that no two hosts should share.
rm -f "$partial"/var/cache/apt/archives/*.deb
: >"$partial/etc/machine-id"

mv "$partial" "$dir"
