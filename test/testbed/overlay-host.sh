#!/bin/sh
# Runs as PID 1 of fresh PID and mount namespaces (overlay-host.ts starts it with unshare):
# mounts an overlay of this machine's root whose upper layer is a tmpfs, so that every write
# made inside (to /etc/shadow too) lands in memory and vanishes with the namespaces, then runs
# sshd chrooted into it. WORK (sshd's config, keys and log) is bound at the same path inside.
# Usage: overlay-host.sh WORK
set -eu
work=$1
base=$work/overlay
root=$base/root
mount -t tmpfs -o mode=0755 pmw-overlay-host "$base"
mkdir "$base/upper" "$base/work" "$root"
mount -t overlay pmw-overlay-host -o "lowerdir=/,upperdir=$base/upper,workdir=$base/work" "$root"
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
mount --rbind /sys "$root/sys"
mount --bind "$work" "$root$work"
# This machine's own pid files mean nothing in a new PID namespace.
rm -f "$root/run/nginx.pid" "$root/run/sshd.pid"
mkdir -p "$root/run/sshd"
exec chroot "$root" /usr/sbin/sshd -D -e -f "$work/sshd_config" -E "$work/sshd.log"
