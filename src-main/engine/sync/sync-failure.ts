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
  /** It exited 0 but left a todo file. */
  todo: boolean
  /** The last lines of its log. */
  logTail: string
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
  const writing = diskFullPath(logTail)
  const free = input.disk?.freeBytes ?? Infinity
  if (writing !== undefined || free < FULL_DISK_BYTES) {
    const mount = input.disk?.mount ?? mirror.directory
    const what = writing ? ` writing ${writing}` : ''
    return {
      message: `The sync stopped: disk full: no space left on ${mount}${what} (${formatBytes(Math.min(free, 1e18))} free, mirror ${mirror.directory})${tail}`,
      hint: `free space on ${mount}, then apply again: bandersnatch resumes where it stopped, and the mirror keeps serving its last complete index meanwhile`,
    }
  }
  const unreachable = findUnreachable(logTail, { proxy: mirror.proxy, upstream: mirror.upstream })
  if (unreachable)
    return {
      message: `The sync stopped: bandersnatch ${describeUnreachable(unreachable)}${tail}`,
      hint: unreachableHint(unreachable),
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
