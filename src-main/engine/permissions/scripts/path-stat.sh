#!/bin/sh
# The path to a mirror's served directory, as root, reading only.
# Usage: path-stat.sh WEB [MIRROR_DIRECTORY]
#   L lines: lstat of every component from / down to WEB as configured (T: a symlink's target);
#   R, then C lines: its real path and the components of that, when symlinks make it differ;
#   M: the mirror directory's real path and owner; H: each login account's real home.
set -u
web=$1
mirror=${2:-}
emit() {
  if [ -e "$2" ] || [ -L "$2" ]; then
    stat --printf "$1\t%f\t%u\t%g\t%U\t%G\t%d:%i\t%n\n" -- "$2" || return 1
    if [ -L "$2" ]; then printf 'T\t%s\n' "$(readlink -- "$2")"; fi
  else
    printf '%s\tmissing\t\t\t\t\t\t%s\n' "$1" "$2"
    return 1
  fi
}
walk() {
  emit "$1" / || return 0
  cur=
  set -f
  old_ifs=$IFS
  IFS=/
  for part in ${2#/}; do
    [ -n "$part" ] || continue
    cur="$cur/$part"
    emit "$1" "$cur" || break
  done
  IFS=$old_ifs
}
walk L "$web"
if real=$(realpath -e -- "$web" 2>/dev/null) && [ "$real" != "$web" ]; then
  printf 'R\t%s\n' "$real"
  walk C "$real"
fi
if [ -n "$mirror" ] && real=$(realpath -e -- "$mirror" 2>/dev/null); then
  stat --printf 'M\t%u\t%U\t%n\n' -- "$real"
fi
# People's homes (uid 1000 and up, not nobody): the repair never opens another person's home.
getent passwd 2>/dev/null | while IFS=: read -r name _ uid _ _ home _; do
  case "$uid" in '' | *[!0-9]*) continue ;; esac
  if [ "$uid" -ge 1000 ] && [ "$uid" -ne 65534 ] && [ -n "$home" ]; then
    printf 'H\t%s\t%s\t%s\n' "$uid" "$name" "$(realpath -m -- "$home")"
  fi
done
exit 0
