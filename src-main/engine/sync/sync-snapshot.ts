import type { RemoteHost } from '../ssh/remote-host'
import type { MirrorLayout } from '../steps/mirror-layout'
import progressLinesScript from './scripts/progress-lines.sh?raw'
import { SyncProgress } from './sync-progress'

export interface SyncProgressSnapshot {
  /** Projects whose index pages the running sync has written so far. */
  done: number
  /** Projects it has to sync; null until bandersnatch has said. */
  total: number | null
  /** The last line of its log, for a status line. */
  lastLine: string
}

/**
 * How far the running sync is, read once from its log (the dashboard's gauge); following it
 * live is `followSync`.
 */
export async function syncProgressSnapshot(
  host: RemoteHost,
  layout: MirrorLayout,
): Promise<SyncProgressSnapshot> {
  const result = await host.readScript(progressLinesScript, [layout.syncLog], { quiet: true })
  const [progressPart = '', lastPart = ''] = result.stdout.split('--- last\n')
  const progress = new SyncProgress()
  for (const line of progressPart.split('\n')) progress.feed(line)
  return { done: progress.completed, total: progress.total, lastLine: lastPart.trim() }
}
