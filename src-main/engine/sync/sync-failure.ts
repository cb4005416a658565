import { formatBytes } from '#shared/format-bytes'
import { diskFullPath } from '../remote/command-failure'
import { describeUnreachable, findUnreachable, unreachableHint } from '../remote/unreachable'
import type { MirrorSite } from '#shared/site'

/** Less free space than this after a failed sync means the disk filled up. */
export const FULL_DISK_BYTES = 1024 * 1024

export interface SyncFailureInput {
  mirror: Pick<MirrorSite, 'directory' | 'upstream' | 'proxy'>
  /** The sync's exit code; null when it ended without writing one (killed, or no room for it). */
  exitCode: number | null
  /** It left a todo file (an exit 0 with one, or with projects it logged as failed, is a failure). */
  todo: boolean
  /** The last lines of its log. */
  logTail: string
  /** The lines of its whole log that name an error (see sync-log-evidence.sh). */
  logErrors?: string
  logPath: string
  disk: { freeBytes: number; mount: string } | null
}

/**
 * Why a sync did not finish, in one message a person can act on: the disk that filled up (and
 * the file bandersnatch was writing), the upstream or proxy it could not reach, or else its exit
 * code, always followed by the end of its log.
 */
export function explainSyncFailure(input: SyncFailureInput): { message: string; hint: string } {
  const { mirror, logTail } = input
  const tail = logTail.trim() ? `:\n${logTail.trim()}` : ''
  const evidence = `${input.logErrors ?? ''}\n${logTail}`
  const projects = failedProjects(evidence)
  const notSynced = projects.length
    ? ` (${projects.length} project${projects.length === 1 ? '' : 's'} not synced: ${listed(projects)})`
    : ''
  const writing = diskFullPath(evidence)
  const free = input.disk?.freeBytes ?? Infinity
  if (writing !== undefined || free < FULL_DISK_BYTES) {
    const mount = input.disk?.mount ?? mirror.directory
    const what = writing ? ` writing ${writing}` : ''
    return {
      message: `The sync stopped: disk full: no space left on ${mount}${what} (${formatBytes(Math.min(free, 1e18))} free, mirror ${mirror.directory})${tail}`,
      hint: `free space on ${mount}, then apply again: bandersnatch resumes where it stopped, and the mirror keeps serving its last complete index meanwhile`,
    }
  }
  const unreachable = findUnreachable(evidence, { proxy: mirror.proxy, upstream: mirror.upstream })
  if (unreachable)
    return {
      message: `The sync stopped: bandersnatch ${describeUnreachable(unreachable)}${notSynced}${tail}`,
      hint: unreachableHint(unreachable),
    }
  if (input.exitCode === 0 && projects.length)
    return {
      message: `bandersnatch could not sync ${projects.length === 1 ? 'a project' : `${projects.length} projects`}: ${listed(projects)}${input.todo ? '; they stay on its todo list' : ''}${tail}`,
      hint: `read why in ${input.logPath} on the host (search "Error syncing package"); apply again to retry them`,
    }
  const what =
    input.exitCode === null
      ? 'The sync was stopped before it finished'
      : `bandersnatch ${input.exitCode === 0 && input.todo ? 'left unfinished work (a todo file)' : `exited with code ${input.exitCode}`}`
  return {
    message: `${what}${tail}`,
    hint: `read ${input.logPath} on the host; apply again to resume (bandersnatch continues from its todo list)`,
  }
}

/** The projects bandersnatch logged "Error syncing package: NAME@SERIAL" for, each once. */
export function failedProjects(log: string): string[] {
  const names = [...log.matchAll(/Error syncing package: (\S+?)@/g)].map((m) => m[1] as string)
  return [...new Set(names)]
}

function listed(names: readonly string[]): string {
  return names.length > 5
    ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`
    : names.join(', ')
}
