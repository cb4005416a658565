import { createHash, randomBytes } from 'node:crypto'
import replaceFileScript from './scripts/replace-file.sh?raw'
import readFileBase64 from './scripts/read-file-base64.sh?raw'
import { posix } from 'node:path'
import type { SFTPWrapper, Stats } from 'ssh2'
import { EngineError } from '../errors'
import { scriptCommand } from '../remote/quote'
import type { RemoteHost } from './remote-host'

export interface WriteResult {
  changed: boolean
  /** Where the previous content was kept, when there was any. */
  backupPath: string | null
}

export interface WriteOptions {
  /** Mode for a new file (an existing file keeps its own mode and owner). */
  mode?: number
  /** Keep the previous content beside the file (default true). */
  backup?: boolean
  /** The content read before, when the caller already has it (saves a round trip). */
  previous?: Buffer | null
  /**
   * sha256 of the content the write must replace (null: the file must not exist): a file that
   * changed since it was planned is refused, not overwritten.
   */
  replaces?: string | null
}

function backupStamp(date = new Date()): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
}

/**
 * Where the previous content of `path` is kept: beside it, named by the time and a random part, so
 * nobody can plant something at the name in advance (creating it fails anyway if they do).
 */
export function backupPathFor(path: string, date = new Date()): string {
  return `${path}.pmw-backup-${backupStamp(date)}-${randomBytes(6).toString('hex')}`
}

function sftpCall<T>(
  host: RemoteHost,
  fn: (callback: (error: Error | null | undefined, value: T) => void) => void,
): Promise<T> {
  return host.whileConnected(
    new Promise((resolve, reject) =>
      fn((error, value) => (error ? reject(error) : resolve(value))),
    ),
  )
}

function errorCode(error: unknown): number | undefined {
  return (error as { code?: number }).code
}

const SFTP_NO_SUCH_FILE = 2
const SFTP_PERMISSION_DENIED = 3

/** Reads a remote file; null when it does not exist. Falls back to `sudo cat` when unreadable. */
export async function readRemoteFile(host: RemoteHost, path: string): Promise<Buffer | null> {
  const sftp = await host.sftp()
  try {
    return await sftpCall<Buffer>(host, (cb) => sftp.readFile(path, cb))
  } catch (error) {
    if (errorCode(error) === SFTP_NO_SUCH_FILE) return null
    if (errorCode(error) !== SFTP_PERMISSION_DENIED)
      throw wrap(error, `Reading ${path} failed`, host)
  }
  // Output arrives as text lines; base64 carries the exact bytes through that.
  const result = await host.read(scriptCommand(readFileBase64, [path]), { sudo: true, quiet: true })
  if (result.code === 3) return null
  if (result.code !== 0)
    throw new EngineError(`Reading ${path} failed: ${result.stderr.trim()}`, { host: host.label })
  return Buffer.from(result.stdout.trim(), 'base64')
}

function wrap(error: unknown, message: string, host: RemoteHost): EngineError {
  return new EngineError(`${message}: ${(error as Error).message}`, {
    host: host.label,
    cause: error,
  })
}

async function statOrNull(
  host: RemoteHost,
  sftp: SFTPWrapper,
  path: string,
): Promise<Stats | null> {
  try {
    return await sftpCall<Stats>(host, (cb) => sftp.stat(path, cb))
  } catch (error) {
    if (errorCode(error) === SFTP_NO_SUCH_FILE) return null
    throw error
  }
}

async function writeThroughSftp(
  host: RemoteHost,
  path: string,
  content: Buffer,
  backupPath: string | null,
  previous: Buffer | null,
  mode: number,
): Promise<void> {
  const sftp = await host.sftp()
  const existing = await statOrNull(host, sftp, path)
  const tmp = posix.join(posix.dirname(path), `.pmw-tmp.${randomBytes(6).toString('hex')}`)
  // 'wx' is O_CREAT|O_EXCL: a name that exists (a symlink included) fails instead of being followed.
  await sftpCall<void>(host, (cb) =>
    sftp.writeFile(
      tmp,
      content,
      { mode: existing ? existing.mode & 0o7777 : mode, flag: 'wx' },
      cb,
    ),
  )
  try {
    if (existing && backupPath && previous) {
      await sftpCall<void>(host, (cb) =>
        sftp.writeFile(backupPath, previous, { mode: existing.mode & 0o7777, flag: 'wx' }, cb),
      ).catch((error: unknown) => {
        throw new EngineError(
          `Could not create the backup ${backupPath} (${(error as Error).message}); ${path} was not changed`,
          {
            host: host.label,
            hint: 'something may already exist at that name: look at it; a backup name is never written through',
            cause: error,
          },
        )
      })
    }
    if (existing) await sftpCall<void>(host, (cb) => sftp.chmod(tmp, existing.mode & 0o7777, cb))
    await sftpCall<void>(host, (cb) => sftp.ext_openssh_rename(tmp, path, cb))
  } catch (error) {
    await sftpCall<void>(host, (cb) => sftp.unlink(tmp, cb)).catch(() => undefined)
    throw error
  }
}

/**
 * Replaces a remote file atomically (temp file + rename), keeping the previous content as a
 * backup. Nothing is written when the content is already what is asked for.
 */
export async function writeRemoteFileAtomic(
  host: RemoteHost,
  path: string,
  content: string | Buffer,
  options: WriteOptions = {},
): Promise<WriteResult> {
  host.checkChange({ kind: 'write', path })
  const data = Buffer.from(content)
  const previous =
    options.previous !== undefined ? options.previous : await readRemoteFile(host, path)
  if (options.replaces !== undefined) {
    const found = previous === null ? null : createHash('sha256').update(previous).digest('hex')
    if (found !== options.replaces)
      throw new EngineError(
        `${path} changed since the plan was made (${found === null ? 'it is gone' : options.replaces === null ? 'it exists now' : 'other content'}): it was not overwritten`,
        { host: host.label, hint: 'plan again, read the new diff, and apply that plan' },
      )
  }
  if (previous && previous.equals(data)) return { changed: false, backupPath: null }
  const backupPath = previous && options.backup !== false ? backupPathFor(path) : null
  await replaceRemoteFile(host, path, data, { previous, backupPath, mode: options.mode ?? 0o644 })
  return { changed: true, backupPath }
}

/**
 * Puts `data` at `path` (temp file + rename), as the login user when it may, else as root. The
 * previous file is kept at `backupPath`, which must not exist yet: if anything (a symlink
 * included) has that name, nothing changes and this fails.
 */
export async function replaceRemoteFile(
  host: RemoteHost,
  path: string,
  data: Buffer,
  options: { previous: Buffer | null; backupPath: string | null; mode: number },
): Promise<void> {
  const { previous, backupPath, mode } = options
  host.checkChange({ kind: 'write', path })
  host.report({ type: 'file-write', host: host.label, path, backupPath })
  if (await canWriteDirectly(host, path)) {
    try {
      return await writeThroughSftp(host, path, data, backupPath, previous, mode)
    } catch (error) {
      if (error instanceof EngineError) throw error
      if (errorCode(error) !== SFTP_PERMISSION_DENIED)
        throw wrap(error, `Writing ${path} failed`, host)
    }
  }
  await host.script(replaceFileScript, [path, backupPath ?? '', mode.toString(8)], {
    sudo: true,
    stdin: data,
    writes: path,
  })
}

/** SFTP runs as the login user: use it when that user owns the file (or may create it). */
async function canWriteDirectly(host: RemoteHost, path: string): Promise<boolean> {
  if ((await host.getPrivilege()) === 'root') return true
  const sftp = await host.sftp()
  const existing = await statOrNull(host, sftp, path).catch(() => null)
  const { uid } = await host.identity()
  if (existing) return existing.uid === uid
  const parent = await statOrNull(host, sftp, posix.dirname(path)).catch(() => null)
  return !!parent && parent.uid === uid
}
