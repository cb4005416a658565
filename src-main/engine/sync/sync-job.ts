import SYNC_LOG_EVIDENCE from './scripts/sync-log-evidence.sh?raw'
import SYNC_STATE from './scripts/sync-state.sh?raw'
import detachWithNohup from './scripts/detach-with-nohup.sh?raw'
import { createHash } from 'node:crypto'
import type { HostFacts } from '../remote/facts'
import { scriptCommand } from '../remote/quote'
import type { RemoteHost } from '../ssh/remote-host'
import type { MirrorLayout } from '../steps/mirror-layout'
import { SyncProgress } from './sync-progress'
import { SYNC_WRAPPER, syncWrapperArgs } from './sync-wrapper'

export type SyncState =
  | { kind: 'running'; pid: number; todo: boolean; logBytes: number }
  | { kind: 'finished'; exitCode: number; todo: boolean; logBytes: number }
  | { kind: 'none'; todo: boolean; logBytes: number }

/** The sync-state probe's arguments for a mirror. */
export function syncStateArgs(layout: MirrorLayout): string[] {
  return [layout.syncPid, layout.syncExit, `${layout.dir}/todo`, layout.syncLog]
}

export async function syncState(host: RemoteHost, layout: MirrorLayout): Promise<SyncState> {
  const result = await host.readScript(SYNC_STATE, syncStateArgs(layout), { quiet: true })
  return parseSyncState(result.stdout)
}

export function parseSyncState(output: string): SyncState {
  const lines = output.trim().split('\n')
  const [word, value] = (lines[0] ?? 'none').split(' ')
  const todo = lines.includes('todo')
  const logBytes = Number(lines.find((l) => l.startsWith('log '))?.slice(4) ?? 0)
  if (word === 'running') return { kind: 'running', pid: Number(value), todo, logBytes }
  if (word === 'finished') return { kind: 'finished', exitCode: Number(value), todo, logBytes }
  return { kind: 'none', todo, logBytes }
}

export function syncUnitName(layout: MirrorLayout): string {
  return `pip-mirror-sync-${createHash('sha256').update(layout.dir).digest('hex').slice(0, 12)}`
}

/**
 * The command that starts the wrapper (sync-wrapper.ts) detached: systemd-run where systemd
 * runs, else nohup.
 */
export function detachedSyncArgv(
  layout: MirrorLayout,
  facts: Pick<HostFacts, 'init' | 'user' | 'uid'>,
): { argv: string[]; sudo: boolean } {
  const wrapperArgs = syncWrapperArgs(layout, 'app')
  if (facts.init === 'systemd')
    return {
      argv: [
        'systemd-run',
        `--unit=${syncUnitName(layout)}`,
        '--collect',
        '--quiet',
        `--uid=${facts.user}`,
        ...scriptCommand(SYNC_WRAPPER, wrapperArgs),
      ],
      sudo: true,
    }
  return { argv: scriptCommand(detachWithNohup, [SYNC_WRAPPER, ...wrapperArgs]), sudo: false }
}

export interface FollowOptions {
  onLine: (line: string) => void
  onProgress: (done: number, total: number | null) => void
  signal?: AbortSignal
}

/**
 * Streams the sync's log from its start until the sync ends (tail --pid), reporting progress.
 * Stopping the follow (signal, lost connection) leaves the sync running on the host.
 */
export async function followSync(
  host: RemoteHost,
  layout: MirrorLayout,
  pid: number,
  options: FollowOptions,
): Promise<void> {
  const progress = new SyncProgress()
  await host.read(['tail', '-c', '+1', `--pid=${pid}`, '-s', '0.5', '-f', layout.syncLog], {
    quiet: true,
    ...(options.signal ? { signal: options.signal } : {}),
    onLine: (line) => {
      options.onLine(line)
      if (progress.feed(line)) options.onProgress(progress.completed, progress.total)
    },
  })
}

/** Stops a running sync: the whole process group, bandersnatch included. */
export async function cancelSync(host: RemoteHost, layout: MirrorLayout): Promise<boolean> {
  const state = await syncState(host, layout)
  if (state.kind !== 'running') return false
  await host.run(['kill', '-TERM', '--', `-${state.pid}`])
  return true
}

/** What a finished sync's log says: its error lines from anywhere in it, and its last lines. */
export interface SyncLogEvidence {
  errors: string
  tail: string
}

export async function syncLogEvidence(
  host: RemoteHost,
  layout: MirrorLayout,
  lines: number,
): Promise<SyncLogEvidence> {
  const result = await host.readScript(SYNC_LOG_EVIDENCE, [layout.syncLog, String(lines)], {
    quiet: true,
  })
  return parseSyncLogEvidence(result.stdout)
}

export function parseSyncLogEvidence(output: string): SyncLogEvidence {
  const errors: string[] = []
  const tail: string[] = []
  for (const line of output.split('\n')) {
    if (line.startsWith('error ')) errors.push(line.slice(6))
    else if (line.startsWith('tail ')) tail.push(line.slice(5))
  }
  return { errors: errors.join('\n'), tail: tail.join('\n') }
}
