#!/bin/sh
# What a sync's log says about why it failed, in one read: the first 40 lines naming an error
# (a project bandersnatch could not sync, the exception behind it), each as "error LINE", then
# its last LINES lines, each as "tail LINE". A failure's cause is often pages above the end:
# bandersnatch logs each project's traceback and carries on. Usage: sync-log-evidence.sh LOG LINES
[ -e "$1" ] || exit 0
grep -E -m 40 -e 'Error syncing package: ' -e '^[A-Za-z_.]*(Error|Exception): ' -- "$1" | sed 's/^/error /'
tail -n "$2" -- "$1" | sed 's/^/tail /'
