#!/bin/sh
# Counts and sizes of a mirror tree and its status files, one per line: the serial, the status
# file's mtime, projects, files, bytes. Usage: mirror-counts.sh MIRROR_DIRECTORY
dir=$1
cat "$dir/status" 2>/dev/null; echo
stat -c %Y "$dir/status" 2>/dev/null || echo
# shellcheck disable=SC2010 # counts names; bandersnatch writes normalized project names only
ls -1 "$dir/web/simple" 2>/dev/null | grep -vc '^index' || true
find "$dir/web/packages" -type f 2>/dev/null | wc -l
du -sb "$dir/web" 2>/dev/null | cut -f1
