#!/bin/sh
# Replaces a file as root, atomically, keeping the previous one as a backup.
# Usage: replace-file.sh TARGET BACKUP MODE   (BACKUP empty: keep none; MODE: for a new file, octal)
# Standard input: the new content.
#
# Nothing is ever written through a name someone else could have planted:
# - the new content is staged in a private directory (mktemp -d: 0700, ours) that this shell
#   enters and checks, so swapping names in TARGET's directory cannot redirect the write;
# - the backup is a hard link to the file being replaced, made by link(2), which fails when
#   anything (a symlink included) already has that name and never follows it;
# - rename(2) puts the new file in place, replacing TARGET's name, not what a symlink points to.
set -eu
target=$1
backup=$2
mode=$3
dir=$(dirname -- "$target")
stage=$(mktemp -d -- "$dir/.pmw-stage.XXXXXXXXXX")
trap 'cd / && rm -rf -- "$stage"' EXIT
cd -P -- "$stage"
if [ "$(stat -c '%u %a' .)" != "$(id -u) 700" ]; then
  echo "pmw: the staging directory $stage was replaced while in use; nothing was changed" >&2
  exit 3
fi
cat >new
if [ -e "$target" ]; then
  chmod --reference="$target" -- new
  chown --reference="$target" -- new
  if [ -n "$backup" ] && ! ln -T -- "$target" "$backup"; then
    echo "pmw: something already exists at the backup name $backup; it was not followed, and nothing was changed" >&2
    exit 3
  fi
else
  chmod "$mode" -- new
fi
mv -T -- new "$target"
