#!/bin/sh
# cron rereads /etc/cron.d when a modification time differs, to the second, from the one it last
# read: a file rewritten in the same second as that read would never be seen. A second later,
# touching the file and its directory gives them a time cron cannot have read.
# Usage: make-cron-reload.sh CRON_FILE
sleep 1
touch -c -- "$1" "$(dirname -- "$1")"
