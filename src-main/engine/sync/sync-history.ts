import { readRemoteFile } from '../ssh/files'
import type { RemoteHost } from '../ssh/remote-host'
import type { MirrorLayout } from '../steps/mirror-layout'
import { syncJobFiles, type SyncTrigger } from './sync-wrapper'

/** One sync as the wrapper recorded it when it ended. */
export interface SyncRun {
  startedAt: string
  endedAt: string
  /**
   * ok: bandersnatch exited 0; failed: it exited non-zero; cancelled: stopped before the end;
   * skipped: another sync was running, so this one did not start.
   */
  outcome: 'ok' | 'failed' | 'cancelled' | 'skipped'
  exitCode: number | null
  /** The upstream serial the mirror held after the run (bandersnatch's status file). */
  serial: number | null
  trigger: SyncTrigger | 'unknown'
}

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/

/** Reads one `start=… end=… exit=… serial=… by=…` line; null for anything else. */
export function parseSyncRunLine(line: string): SyncRun | null {
  const fields = new Map<string, string>()
  for (const word of line.trim().split(/\s+/)) {
    const eq = word.indexOf('=')
    if (eq > 0) fields.set(word.slice(0, eq), word.slice(eq + 1))
  }
  const startedAt = fields.get('start') ?? ''
  const endedAt = fields.get('end') ?? ''
  const exit = fields.get('exit') ?? ''
  if (!TIMESTAMP.test(startedAt) || !TIMESTAMP.test(endedAt) || !exit) return null
  const exitCode = /^\d+$/.test(exit) ? Number(exit) : null
  const outcome: SyncRun['outcome'] =
    exit === 'busy'
      ? 'skipped'
      : exit === 'cancelled'
        ? 'cancelled'
        : exitCode === 0
          ? 'ok'
          : exitCode === null
            ? 'cancelled'
            : 'failed'
  const serial = fields.get('serial') ?? ''
  const by = fields.get('by')
  return {
    startedAt,
    endedAt,
    outcome,
    exitCode,
    serial: /^\d+$/.test(serial) ? Number(serial) : null,
    trigger: by === 'app' || by === 'schedule' ? by : 'unknown',
  }
}

/** Every run in the history text, oldest first; lines that do not parse are left out. */
export function parseSyncHistory(text: string): SyncRun[] {
  return text
    .split('\n')
    .map(parseSyncRunLine)
    .filter((run): run is SyncRun => run !== null)
}

/** The last `limit` runs recorded on the host, newest first. */
export async function readSyncHistory(
  host: RemoteHost,
  layout: MirrorLayout,
  limit = 20,
): Promise<SyncRun[]> {
  const text = await readRemoteFile(host, syncJobFiles(layout).history)
  return text === null ? [] : parseSyncHistory(text.toString('utf8')).slice(-limit).reverse()
}
