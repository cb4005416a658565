#!/bin/sh
# Runs a command as root through `sudo -A`, handing the password only to a sudo that asks for it.
# Usage: sudo-with-password.sh HELPER_TEXT run COMMAND [ARG...]
#        sudo-with-password.sh HELPER_TEXT validate
# HELPER_TEXT is askpass-helper.sh. Standard input: the password on the first line, then the
# command's own input.
#
# The password stays in an unexported variable of this shell and reaches sudo through a one-shot
# FIFO that the askpass helper reads: it is never an argument or an environment value of any
# process, never in a file, and never on the command's input (under a sudoers NOPASSWD rule nobody
# reads the FIFO). The helper answers once; when sudo asks again the password was refused, and sudo
# gives up at once (one failed attempt, not three that could lock the account).
set -u
refused_exit=86
helper=$1
mode=$2
shift 2
IFS= read -r password || { echo 'pmw-sudo: no password on standard input' >&2; exit 1; }
# Private files of this script only: the command itself gets the login's umask back, as with a
# plain sudo (a venv made under 077 could not be run by the user it is for).
login_umask=$(umask)
umask 077
private=
feeder=
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  if [ -n "$feeder" ]; then kill "$feeder" 2>/dev/null; fi
  if [ -n "$private" ]; then rm -rf -- "$private"; fi
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# A private directory where the helper can run: /tmp is often mounted noexec on hardened hosts.
for base in "${TMPDIR:-/tmp}" /tmp /var/tmp "${HOME:-/nonexistent}"; do
  dir=$(mktemp -d "$base/.pmw-sudo.XXXXXXXXXX" 2>/dev/null) || continue
  if printf '%s' "$helper" >"$dir/askpass" && chmod 700 "$dir/askpass" &&
    mkfifo -m 600 "$dir/fifo" && [ "$("$dir/askpass" --probe 2>/dev/null)" = ok ]; then
    private=$dir
    break
  fi
  rm -rf -- "$dir"
done
if [ -z "$private" ]; then
  echo 'pmw-sudo: found no private directory where the askpass helper can run (tried TMPDIR, /tmp, /var/tmp and HOME)' >&2
  exit 1
fi

# printf is a builtin: the password is written by a fork of this shell, never as an argument.
printf '%s\n' "$password" >"$private/fifo" &
feeder=$!
password=

umask "$login_umask"
case $mode in
  run) SUDO_ASKPASS=$private/askpass sudo -A -k -p '' -- "$@" ;;
  validate) SUDO_ASKPASS=$private/askpass sudo -A -k -p '' -v ;;
  *) echo "pmw-sudo: unknown mode '$mode'" >&2; exit 1 ;;
esac
status=$?
if [ -e "$private/refused" ]; then
  echo 'pmw-sudo: sudo refused the password' >&2
  exit "$refused_exit"
fi
exit "$status"
