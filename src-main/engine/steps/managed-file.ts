import { unifiedDiff } from '../config/diff'
import { readRemoteFile, writeRemoteFileAtomic, type WriteResult } from '../ssh/files'
import type { RemoteHost } from '../ssh/remote-host'
import type { Change } from './step'

/** A file a step keeps at a wanted content. */
export interface ManagedFile {
  path: string
  content: string
  /** Mode for a new file. */
  mode?: number
}

/** The change that would bring the file to its content (a diff), or null when it already is. */
export async function planManagedFile(
  host: RemoteHost,
  file: ManagedFile,
  summary: string,
): Promise<Change | null> {
  const current = await readRemoteFile(host, file.path)
  const before = current === null ? null : current.toString('utf8')
  const diff = unifiedDiff(before, file.content, { path: file.path })
  return diff ? { kind: 'file', summary, path: file.path, diff } : null
}

export function writeManagedFile(host: RemoteHost, file: ManagedFile): Promise<WriteResult> {
  return writeRemoteFileAtomic(
    host,
    file.path,
    file.content,
    file.mode === undefined ? {} : { mode: file.mode },
  )
}
