#!/bin/sh
# Pip Mirror Wizard: one sync of a pip mirror, as the app runs it (its sync-wrapper.ts).
# Run by the sync schedule; arguments: see the cron entry or the service unit.
bandersnatch=$1; conf=$2; pidfile=$3; log=$4; exitfile=$5; lock=$6; history=$7; status=$8
todo=$9; requirements=${10}; checked=${11}; by=${12}
now() { date -u +%Y-%m-%dT%H:%M:%SZ; }
started=$(now)
note() {
  echo "start=$started end=$(now) exit=$1 serial=$(cat "$status" 2>/dev/null || echo -) by=$by" >> "$history"
  tail -n 1000 "$history" > "$history.tmp" 2>/dev/null && mv -f -- "$history.tmp" "$history"
}
if command -v flock >/dev/null 2>&1; then
  exec 9>> "$lock"
  if ! flock -n 9; then note busy; exit 0; fi
elif [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  note busy; exit 0
fi
if [ -e "$log" ]; then mv -f -- "$log" "$log.1"; fi
rm -f -- "$exitfile"
echo "=== sync started $started ===" >> "$log"
# retained*.txt: pins an update replaced, mirrored until a prune (absent on most mirrors).
filter=$(cat -- "$conf" "$requirements" "${requirements%/*}"/retained*.txt 2>/dev/null | cksum)
if [ "$filter" != "$(cat -- "$checked" 2>/dev/null)" ]; then
  echo "=== the config or the requirements changed: checking every project ===" >> "$log"
  rm -f -- "$status" "$todo"
fi
# The trap goes first: a cancel can come as soon as the pid file names this process.
trap 'note cancelled; rm -f -- "$pidfile"; exit 143' TERM INT
echo $$ > "$pidfile"
"$bandersnatch" -c "$conf" mirror >> "$log" 2>&1
code=$?
trap - TERM INT
# bandersnatch writes some files through a temp file it never opens up (web/last-modified is
# 0600): give others read (files) and read+execute (directories) where missing, or nginx says 403.
web=$(dirname -- "$status")/web
if [ "$code" = 0 ] && [ -d "$web" ]; then
  find "$web" -xdev \( -type f ! -perm -0004 -exec chmod o+r {} + \) \
    -o \( -type d ! -perm -0005 -exec chmod o+rx {} + \) 2>> "$log"
fi
echo "=== sync ended $(now) exit $code ===" >> "$log"
echo "$code" > "$exitfile"
if [ "$code" = 0 ] && [ ! -e "$todo" ]; then echo "$filter" > "$checked"; fi
note "$code"
rm -f -- "$pidfile"
