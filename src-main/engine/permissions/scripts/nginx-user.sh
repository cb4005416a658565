#!/bin/sh
# Finds the system nginx (master from the pid file named in nginx.conf) and the identity of its
# worker processes, read from /proc: the uid and the groups the kernel actually checks. Also
# prints the `user` directive and the ids of the candidate accounts, for when nginx is not running.
# Usage: nginx-user.sh. Prints key=value lines.
conf=/etc/nginx/nginx.conf
kv() { printf '%s=%s\n' "$1" "$2"; }
directive() { sed -n "s/^[[:space:]]*$1[[:space:]]\{1,\}\([^;]*\);.*/\1/p" "$conf" 2>/dev/null | head -n1; }
pidfile=$(directive pid)
[ -n "$pidfile" ] || pidfile=/run/nginx.pid
kv pid_file "$pidfile"
master=
if [ -r "$pidfile" ]; then
  p=$(tr -dc 0-9 < "$pidfile")
  if [ -n "$p" ] && [ "$(cat "/proc/$p/comm" 2>/dev/null)" = nginx ]; then master=$p; fi
fi
kv master_pid "$master"
worker=
any_worker=
for d in /proc/[0-9]*; do
  [ "$(cat "$d/comm" 2>/dev/null)" = nginx ] || continue
  case "$(tr '\0' ' ' < "$d/cmdline" 2>/dev/null)" in *"worker process"*) ;; *) continue ;; esac
  ppid=$(sed -n 's/^PPid:[[:space:]]*//p' "$d/status" 2>/dev/null)
  if [ -n "$master" ] && [ "$ppid" = "$master" ]; then worker=$d; break; fi
  [ -n "$any_worker" ] || any_worker=$d
done
[ -n "$worker" ] || worker=$any_worker
if [ -n "$worker" ]; then
  uid=$(awk '/^Uid:/ { print $3 }' "$worker/status" 2>/dev/null)
  kv worker_uid "$uid"
  kv worker_gid "$(awk '/^Gid:/ { print $3 }' "$worker/status" 2>/dev/null)"
  kv worker_groups "$(sed -n 's/^Groups:[[:space:]]*//p' "$worker/status" 2>/dev/null)"
  kv worker_name "$(getent passwd "$uid" | cut -d: -f1)"
fi
set -f
# shellcheck disable=SC2046 # split into the directive's words, globbing off (set -f)
set -- $(directive user)
kv conf_user "${1:-}"
kv conf_group "${2:-}"
[ -n "${2:-}" ] && kv conf_group_gid "$(getent group "$2" | cut -d: -f3)"
for name in "${1:-}" www-data nginx; do
  [ -n "$name" ] || continue
  u=$(id -u -- "$name" 2>/dev/null) || continue
  kv "ids_$name" "$u $(id -g -- "$name") $(id -G -- "$name")"
done
# shellcheck source=/dev/null # the host's own file
if [ -r /etc/os-release ]; then . /etc/os-release; kv os_id "${ID:-}"; kv os_like "${ID_LIKE:-}"; fi
