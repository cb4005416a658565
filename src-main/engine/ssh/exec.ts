import type { Client, ClientChannel } from 'ssh2'
import { LineSplitter } from './line-splitter'

export type OutputStream = 'stdout' | 'stderr'

export interface ExecOptions {
  /** Bytes written to the command's standard input, after which input is closed. */
  stdin?: string | Buffer
  onLine?: (line: string, stream: OutputStream) => void
  signal?: AbortSignal
  /** Keep at most this many characters of each stream in the result (default 4 MiB). */
  keepChars?: number
}

export interface ExecResult {
  code: number | null
  signal: string | null
  stdout: string
  stderr: string
}

function appendBounded(current: string, line: string, limit: number): string {
  if (current.length >= limit) return current
  return (current + line + '\n').slice(0, limit)
}

/** Runs one command line on its own channel of an existing connection, streaming its lines. */
export function execOnChannel(
  client: Client,
  line: string,
  options: ExecOptions = {},
): Promise<ExecResult> {
  const limit = options.keepChars ?? 4 * 1024 * 1024
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(new Error('cancelled'))
    client.exec(line, (error: Error | undefined, channel: ClientChannel) => {
      if (error) return reject(error)
      let stdout = ''
      let stderr = ''
      let exitCode: number | null = null
      let exitSignal: string | null = null
      const out = new LineSplitter((text) => {
        stdout = appendBounded(stdout, text, limit)
        options.onLine?.(text, 'stdout')
      })
      const err = new LineSplitter((text) => {
        stderr = appendBounded(stderr, text, limit)
        options.onLine?.(text, 'stderr')
      })
      const onAbort = (): void => {
        channel.signal('TERM')
        channel.close()
      }
      options.signal?.addEventListener('abort', onAbort, { once: true })
      channel.on('data', (chunk: Buffer) => out.push(chunk))
      channel.stderr.on('data', (chunk: Buffer) => err.push(chunk))
      channel.on('exit', (code: number | null, signalName?: string) => {
        exitCode = code
        exitSignal = signalName ?? null
      })
      channel.on('close', () => {
        options.signal?.removeEventListener('abort', onAbort)
        out.end()
        err.end()
        resolve({ code: exitCode, signal: exitSignal, stdout, stderr })
      })
      if (options.stdin !== undefined) channel.end(options.stdin)
      else channel.end()
    })
  })
}
