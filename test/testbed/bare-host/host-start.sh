#!/bin/sh
# Turns a copy of a bare root into a running host. Runs as the first process of the host's own
# PID, mount and UTS namespaces, already inside its network namespace (see host.ts):
#   ip netns exec NS unshare --pid --fork --mount --uts --propagation private -- \
#     sh host-start.sh LOWER UPPER WORK ROOT HOSTNAME
# Every mount below lives in the host's private mount namespace: when the host's first process
# dies, the kernel ends every process in it and the mounts go with them.
set -eu
lower=$1 upper=$2 work=$3 root=$4 name=$5

mount -t overlay overlay -o "lowerdir=$lower,upperdir=$upper,workdir=$work" "$root"
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --rbind /dev "$root/dev"
mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs "$root/run"
hostname "$name"
exec chroot "$root" /usr/bin/python3 -I /usr/local/sbin/pmw-test-init
