import { z } from 'zod'
import type { RemoteHost } from '../ssh/remote-host'
import httpGetScript from './scripts/http-get.py?raw'
import { runPythonJson } from './python'

const resultSchema = z.object({
  url: z.string(),
  /** 0 when no HTTP answer came (refused, timed out, no route). */
  status: z.number(),
  reason: z.string(),
  contentType: z.string(),
  bytes: z.number(),
  /** The first `bodyLimit` characters of the answer. */
  body: z.string(),
  /** Why nothing answered; null when something did. */
  error: z.string().nullable(),
})

export type HttpResult = z.infer<typeof resultSchema>

export interface HttpGetOptions {
  /** Characters of each body to return (default 256 KiB; 0 for none). */
  bodyLimit?: number
  timeoutSeconds?: number
}

/**
 * GETs each URL from the host, in one round trip: its own view of the network, no proxy, no
 * redirects followed (scripts/http-get.py).
 */
export async function httpGetFromHost(
  host: RemoteHost,
  urls: readonly string[],
  options: HttpGetOptions = {},
): Promise<HttpResult[]> {
  if (urls.length === 0) return []
  const args = [
    String(options.bodyLimit ?? 256 * 1024),
    String(options.timeoutSeconds ?? 20),
    ...urls,
  ]
  return runPythonJson(
    host,
    `HTTP GET of ${urls[0]}${urls.length > 1 ? ` and ${urls.length - 1} more` : ''}`,
    httpGetScript,
    args,
    z.array(resultSchema),
  )
}

/** "HTTP 200", "HTTP 403 Forbidden", "no answer: [Errno 111] Connection refused". */
export function describeHttpResult(
  result: Pick<HttpResult, 'status' | 'reason' | 'error'>,
): string {
  if (result.status === 0) return `no answer: ${result.error ?? 'unknown error'}`
  return `HTTP ${result.status}${result.reason && result.status !== 200 ? ` ${result.reason}` : ''}`
}
