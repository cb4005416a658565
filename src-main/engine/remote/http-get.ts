import { z } from 'zod'
import type { RemoteHost } from '../ssh/remote-host'
import { runPythonJson } from './python'

/**
 * GETs URLs from a host itself (its own view of the network: a private or loopback listen address
 * works), all in one command. No proxy: a mirror is asked directly, as pip in a sandbox would.
 * Redirects are not followed, so each status is the server's own answer.
 * argv: max body characters to return, timeout in seconds, then the URLs.
 */
const HTTP_GET_SCRIPT = String.raw`
import json, sys, urllib.error, urllib.request
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
limit, timeout = int(sys.argv[1]), float(sys.argv[2])
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect)
results = []
for url in sys.argv[3:]:
    out = {"url": url, "status": 0, "reason": "", "contentType": "", "bytes": 0, "body": "", "error": None}
    try:
        request = urllib.request.Request(url, headers={"User-Agent": "pip-mirror-wizard"})
        with opener.open(request, timeout=timeout) as r:
            body = r.read()
            out.update(status=r.status, reason=r.reason, contentType=r.headers.get("Content-Type", ""), bytes=len(body), body=body[:limit].decode("utf-8", "replace"))
    except urllib.error.HTTPError as e:
        out.update(status=e.code, reason=str(e.reason), contentType=e.headers.get("Content-Type", ""))
    except Exception as e:
        out.update(error=str(getattr(e, "reason", e)) or type(e).__name__)
    results.append(out)
print(json.dumps(results))
`

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

/** GETs each URL from the host, in one round trip. */
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
    HTTP_GET_SCRIPT,
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
