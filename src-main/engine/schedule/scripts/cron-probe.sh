#!/bin/sh
# Finds the cron daemon (Debian's cron, RHEL's crond) by absolute path too, and whether it runs
# (a process of that name that is not a zombie). Prints path=PATH and running=yes|no.
bin=
for p in "$(command -v cron 2>/dev/null)" "$(command -v crond 2>/dev/null)" /usr/sbin/cron /usr/sbin/crond /sbin/crond; do
  if [ -n "$p" ] && [ -x "$p" ]; then bin=$p; break; fi
done
echo "path=$bin"
running=no
for d in /proc/[0-9]*; do
  case "$(cat "$d/comm" 2>/dev/null)" in
    cron|crond) grep -q '^State:[[:space:]]*Z' "$d/status" 2>/dev/null || { running=yes; break; } ;;
  esac
done
echo "running=$running"
