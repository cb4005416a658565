#!/bin/sh
# Where sites-enabled/<name> points, whether the listen port is bound, and the init system.
# Usage: nginx-site-state.sh SITES_AVAILABLE_FILE SITES_ENABLED_FILE. Prints key=value lines.
available=$1; enabled=$2
kv() { printf '%s=%s\n' "$1" "$2"; }
if [ -L "$enabled" ]; then
  if [ -e "$enabled" ]; then kv enabled link; kv target "$(readlink -f -- "$enabled")"
  else kv enabled dangling; kv target "$(readlink -- "$enabled")"; fi
elif [ -e "$enabled" ]; then kv enabled file
else kv enabled missing
fi
kv available_real "$(readlink -f -- "$available" 2>/dev/null)"
if [ -d /run/systemd/system ]; then kv init systemd; else kv init other; fi
if command -v ss >/dev/null 2>&1; then
  kv ss yes
  ss -Hltn 2>/dev/null | sed 's/^/listen_line=/'
else
  kv ss no
fi
