#!/bin/sh
# The lines of a sync's log that carry progress, then '--- last' and its last line.
# Usage: progress-lines.sh LOG_FILE
grep -E 'packages to sync\.|Storing index page' -- "$1" 2>/dev/null
printf '%s\n' '--- last'
tail -n 1 -- "$1" 2>/dev/null
true
