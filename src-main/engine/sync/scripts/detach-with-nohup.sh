#!/bin/sh
# Without systemd: starts a script in a new session (setsid) that nohup keeps alive after the SSH
# channel closes. Usage: detach-with-nohup.sh SCRIPT_TEXT [ARG...]
wrapper=$1; shift
nohup setsid sh -c "$wrapper" sh "$@" >/dev/null 2>&1 </dev/null &
