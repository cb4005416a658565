#!/bin/sh
# SELinux's mode, the served directory's context and, when enforcing, the entries nginx may not
# read. Usage: selinux.sh WEB TEST... (TEST...: the find tests that match a readable context).
# Prints key=value lines; nothing where SELinux is not installed.
web=$1; shift
kv() { printf '%s=%s\n' "$1" "$2"; }
command -v getenforce >/dev/null 2>&1 || exit 0
mode=$(getenforce 2>/dev/null)
kv mode "$mode"
kv context "$(stat -c %C -- "$web" 2>/dev/null)"
if [ "$mode" = Enforcing ]; then
  find "$web" -xdev ! \( "$@" \) -print 2>/dev/null | awk '
    NR == 1 { print "example=" $0 }
    END { print "wrong=" NR + 0 }'
fi
