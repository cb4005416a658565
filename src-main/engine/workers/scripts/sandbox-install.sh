#!/bin/sh
# Runs one command as OpenLambda runs its pip-install lambda: in a private mount namespace, the
# sandbox base read-only at a fresh root, a fresh /host (the package's scratch directory) and
# /tmp bound over it, then chroot with an empty environment. Removes what it made; says what
# landed in /host/files. argv: the sandbox base, then the command.
set -eu
base=$1
shift
for dir in host tmp; do
  if [ ! -d "$base/$dir" ]; then
    echo "pmw-sandbox: $base/$dir does not exist: not an OpenLambda base (ol worker init makes it)" >&2
    exit 97
  fi
done
work=$(mktemp -d /tmp/pmw-sandbox.XXXXXX)
trap 'rm -rf -- "$work"' EXIT
mkdir "$work/root" "$work/host" "$work/tmp"
set +e
# shellcheck disable=SC2016 # the inner script expands its own positional parameters
unshare --mount --propagation private sh -c '
  set -eu
  root=$1 base=$2 host=$3 tmp=$4
  shift 4
  mount --bind "$base" "$root"
  mount -o remount,bind,ro "$root"
  mount --bind "$host" "$root/host"
  mount --bind "$tmp" "$root/tmp"
  exec chroot "$root" /usr/bin/env -i "$@"' sh "$work/root" "$base" "$work/host" "$work/tmp" "$@" 2>&1
code=$?
set -e
installed=
for file in "$work/host/files"/* "$work/host/files"/.[!.]*; do
  [ -e "$file" ] && installed="$installed${file##*/} "
done
echo "pmw-installed: $installed"
exit "$code"
