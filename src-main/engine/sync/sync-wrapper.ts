import { BANDERSNATCH, type MirrorLayout } from '../steps/mirror-layout'
import syncWrapperScript from './scripts/sync-wrapper.sh?raw'

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
 * requirements file, filter checksum file, trigger. The history keeps the last 1000 runs.
 * Its text is also the file the schedule runs (wrapperFileText), so its header is that file's.
 */
export const SYNC_WRAPPER: string = syncWrapperScript

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
