#!/bin/sh
# The facts probe: every fact the steps need about a host, in one round trip.
# Usage: facts.sh MIRROR_DIRECTORY. Prints key=value lines; tolerates every missing tool.
path=$1
kv() { printf '%s=%s\n' "$1" "$2"; }
kv user "$(id -un)"
kv uid "$(id -u)"
kv hostname "$(hostname 2>/dev/null || cat /etc/hostname 2>/dev/null)"
if [ -r /etc/os-release ]; then
  # shellcheck source=/dev/null # the host's own file
  . /etc/os-release
  kv os_id "${ID:-}"; kv os_version "${VERSION_ID:-}"; kv os_name "${PRETTY_NAME:-}"; kv os_like "${ID_LIKE:-}"
fi
for pm in apt-get dnf yum zypper apk; do
  if command -v "$pm" >/dev/null 2>&1; then kv package_manager "$pm"; break; fi
done
if [ -d /run/systemd/system ]; then kv init systemd; else kv init other; fi
# The distribution's Python first: a user's pyenv or conda python3 may not be readable by others.
if [ -x /usr/bin/python3 ]; then py=/usr/bin/python3; else py=$(command -v python3 2>/dev/null || true); fi
if [ -n "$py" ]; then
  kv python "$py"
  kv python_version "$("$py" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null)"
  if "$py" -c 'import ensurepip, venv' >/dev/null 2>&1; then kv python_venv yes; else kv python_venv no; fi
fi
p=$path
while [ -n "$p" ] && [ ! -e "$p" ]; do p=$(dirname -- "$p"); done
kv disk_path "$p"
df -Pk -- "$p" 2>/dev/null | awk 'NR==2 { print "disk_total_kb=" $2; print "disk_free_kb=" $4; print "disk_mount=" $6 }'
ng=$(command -v nginx 2>/dev/null || true)
[ -z "$ng" ] && [ -x /usr/sbin/nginx ] && ng=/usr/sbin/nginx
kv nginx_path "$ng"
running=no
worker_user=
for d in /proc/[0-9]*; do
  comm=$(cat "$d/comm" 2>/dev/null) || continue
  [ "$comm" = nginx ] || continue
  # An exited master nobody reaped (a container whose first process reaps nothing) is not nginx.
  grep -q '^State:[[:space:]]*Z' "$d/status" 2>/dev/null && continue
  running=yes
  case "$(tr '\0' ' ' < "$d/cmdline" 2>/dev/null)" in
    *"worker process"*) worker_user=$(stat -c %U "$d" 2>/dev/null) ;;
  esac
done
kv nginx_running "$running"
kv nginx_worker_user "$worker_user"
kv nginx_conf_user "$(sed -n 's/^[[:space:]]*user[[:space:]]\{1,\}\([^;[:space:]]*\).*/\1/p' /etc/nginx/nginx.conf 2>/dev/null | head -n1)"
if [ "$(id -u)" = 0 ]; then kv sudo root
elif ! command -v sudo >/dev/null 2>&1; then kv sudo none
elif sudo -n true >/dev/null 2>&1; then kv sudo sudo-nopasswd
else kv sudo sudo-password
fi
if command -v ip >/dev/null 2>&1; then
  kv ipv4 "$(ip -4 -o addr show 2>/dev/null | awk '{ split($4, a, "/"); printf "%s ", a[1] }')"
else
  kv ipv4 "$(hostname -I 2>/dev/null)"
fi
