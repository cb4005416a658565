import { BANDERSNATCH, type MirrorLayout } from '../steps/mirror-layout'

/** Who started a sync: the app (wizard, dashboard, CLI) or the host's own schedule. */
export type SyncTrigger = 'app' | 'schedule'

/** The files a sync keeps beside the mirror, besides the pid, log and exit files of the layout. */
export function syncJobFiles(layout: MirrorLayout) {
  return {
    /** Held (flock) for as long as a sync runs: a second sync never starts beside it. */
    lock: `${layout.state}/sync.lock`,
    /** One line per run: start, end, exit code, serial, trigger (see sync-history.ts). */
    history: `${layout.state}/sync-history`,
    /** bandersnatch's own record of the upstream serial it reached, and of an unfinished sync. */
    status: `${layout.dir}/status`,
    todo: `${layout.dir}/todo`,
    /** A checksum of the config and requirements the last successful sync mirrored. */
    filterChecked: `${layout.state}/sync-filter`,
    /** The wrapper below, as a file, for the scheduled job to run. */
    wrapperFile: `${layout.state}/sync-wrapper.sh`,
  }
}

/** Lines kept in the history file; older runs are dropped. */
export const SYNC_HISTORY_LINES = 1000

/**
 * The one way a sync runs, whether the app or the schedule starts it, so that the app can always
 * reattach to it (pid file, log, exit file) and two syncs never run at once (the lock; the pid
 * check where flock(1) is missing). The log of the previous sync is kept as `<log>.1`.
 * A cancelled sync (TERM to its process group) writes no exit file: it did not finish.
 *
 * bandersnatch syncs only the projects that changed upstream since the serial in its status file
 * (or the rest of its todo list): projects that a new config or new requirements allow would never
 * come. So when those changed since the last successful sync, both files go first, and it checks
 * every project (`mirror --force-check` does the same through a shared /tmp/status).
 * argv: bandersnatch, conf, pid file, log, exit file, lock, history, status file, todo file,
 * requirements file, filter checksum file, trigger.
 */
export const SYNC_WRAPPER = `
bandersnatch=$1; conf=$2; pidfile=$3; log=$4; exitfile=$5; lock=$6; history=$7; status=$8
todo=$9; requirements=\${10}; checked=\${11}; by=\${12}
now() { date -u +%Y-%m-%dT%H:%M:%SZ; }
started=$(now)
note() {
  echo "start=$started end=$(now) exit=$1 serial=$(cat "$status" 2>/dev/null || echo -) by=$by" >> "$history"
  tail -n ${SYNC_HISTORY_LINES} "$history" > "$history.tmp" 2>/dev/null && mv -f -- "$history.tmp" "$history"
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
filter=$(cat -- "$conf" "$requirements" "\${requirements%/*}"/retained*.txt 2>/dev/null | cksum)
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
  find "$web" -xdev \\( -type f ! -perm -0004 -exec chmod o+r {} + \\) \\
    -o \\( -type d ! -perm -0005 -exec chmod o+rx {} + \\) 2>> "$log"
fi
echo "=== sync ended $(now) exit $code ===" >> "$log"
echo "$code" > "$exitfile"
if [ "$code" = 0 ] && [ ! -e "$todo" ]; then echo "$filter" > "$checked"; fi
note "$code"
rm -f -- "$pidfile"
`

/** The wrapper's arguments for one mirror. */
export function syncWrapperArgs(layout: MirrorLayout, trigger: SyncTrigger): string[] {
  const files = syncJobFiles(layout)
  return [
    BANDERSNATCH,
    layout.conf,
    layout.syncPid,
    layout.syncLog,
    layout.syncExit,
    files.lock,
    files.history,
    files.status,
    files.todo,
    layout.requirementsTxt,
    files.filterChecked,
    trigger,
  ]
}
