import { z } from 'zod'
import { runPythonJson } from '../remote/python'
import type { RemoteHost } from '../ssh/remote-host'
import fetchIndexScript from './scripts/fetch-index.py?raw'

const answerSchema = z.object({
  results: z.array(
    z.object({
      url: z.string(),
      status: z.number(),
      error: z.string().nullable(),
      body: z.string(),
      bytes: z.number(),
    }),
  ),
  bytes: z.number(),
})

export type FetchAnswer = z.infer<typeof answerSchema>

/**
 * GETs (pages) or HEADs (files) every URL from the host in one command, 16 at a time: one SSH
 * round trip whatever the number of pins.
 */
export function fetchFromHost(
  host: RemoteHost,
  method: 'GET' | 'HEAD',
  urls: readonly string[],
  options: { proxy?: string | null; timeoutSeconds?: number } = {},
): Promise<FetchAnswer> {
  if (urls.length === 0) return Promise.resolve({ results: [], bytes: 0 })
  return runPythonJson(
    host,
    `${method} of ${urls[0]}${urls.length > 1 ? ` and ${urls.length - 1} more` : ''}`,
    fetchIndexScript,
    [],
    answerSchema,
    {
      stdin: JSON.stringify({
        method,
        urls,
        timeout: options.timeoutSeconds ?? 20,
        proxy: options.proxy ?? null,
      }),
    },
  )
}
