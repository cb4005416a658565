import { createHash } from 'node:crypto'
import { unifiedDiff } from '../config/diff'
import type { FileChange } from '../plan/change'
import type { FileState, HostState } from '../plan/host-state'
import { readRemoteFile } from '../ssh/files'
import type { RemoteHost } from '../ssh/remote-host'

/** A file a step keeps at a wanted content. */
export interface ManagedFile {
  path: string
  content: string
  /** Mode for a new file (an existing one keeps its own). */
  mode?: number
  /** Written as root (system files); otherwise as the login user (files under the mirror). */
  asRoot?: boolean
  /** Keep the previous content beside it (default true). */
  backup?: boolean
}

export const sha256 = (text: string | Buffer): string =>
  createHash('sha256').update(text).digest('hex')

/**
 * The change that brings the file to its content, from what the plan read of it (its hash, mode
 * and owner), or null when it already is. Throws when the path is not a plain readable file.
 */
export function planFile(
  state: HostState,
  host: string,
  file: ManagedFile,
  summary: string,
): FileChange | null {
  return fileChange(
    state.file(file.path),
    state.text(file.path, host),
    state.facts.user,
    file,
    summary,
  )
}

/** The same from a file read on its own (a path that depends on another file's content). */
export function fileChange(
  current: FileState,
  before: string | null,
  login: string,
  file: ManagedFile,
  summary: string,
): FileChange | null {
  if (before === file.content) return null
  const present = current.status === 'present' ? current : null
  return {
    kind: 'file',
    summary,
    path: file.path,
    content: file.content,
    replaces: before === null ? null : sha256(before),
    mode: present ? present.mode : (file.mode ?? 0o644),
    owner: present ? present.owner : file.asRoot ? 'root' : login,
    sudo: !!file.asRoot,
    backup: file.backup ?? true,
    diff: unifiedDiff(before, file.content, { path: file.path }),
  }
}

/**
 * A file read on its own while planning, when its path comes from another file's content (a
 * worker's registry, its sandboxes' root): what `fileChange` needs. An existing file keeps its
 * own mode and owner when written; `replaces` refuses it if it changed since.
 */
export async function readFileOnItsOwn(
  host: RemoteHost,
  path: string,
): Promise<[FileState, string | null]> {
  const content = await readRemoteFile(host, path)
  return content === null
    ? [{ status: 'absent' }, null]
    : [
        {
          status: 'present',
          sha256: sha256(content),
          mode: 0o644,
          owner: 'root',
          size: content.length,
          content,
        },
        content.toString('utf8'),
      ]
}
