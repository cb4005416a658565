#!/bin/sh
# Reports "running PID", "finished CODE" or "none", then "todo" if a sync is unfinished and
# "log BYTES". Usage: sync-state.sh PID_FILE EXIT_FILE TODO_FILE LOG_FILE
if [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; then echo "running $(cat "$1")"
elif [ -s "$2" ]; then echo "finished $(cat "$2")"
else echo none
fi
[ -e "$3" ] && echo todo
[ -e "$4" ] && echo "log $(wc -c < "$4")"
true
