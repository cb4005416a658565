#!/bin/sh
# Before a detached sync starts: its state directory exists, the exit file of the previous sync
# is gone, and so is a pid file whose process has ended (the wait that follows must see only the
# new sync). Usage: prepare-sync.sh STATE_DIR EXIT_FILE PID_FILE
set -eu
mkdir -p -- "$1"
rm -f -- "$2"
if [ -s "$3" ] && ! kill -0 "$(cat "$3")" 2>/dev/null; then rm -f -- "$3"; fi
