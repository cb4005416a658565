import { EngineError } from '../errors'
import type { RemoteHost } from '../ssh/remote-host'

/**
 * Fetches URLs from a host itself (its own view of the network: a private or loopback listen
 * address works), all in one command. Python's standard library only. No proxy: a mirror is
 * always asked directly. Prints one JSON object per URL.
 * argv: max body bytes to return, then the URLs.
 */
const HTTP_GET_SCRIPT = String.raw`
import json, sys, urllib.request, urllib.error
limit = int(sys.argv[1])
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
for url in sys.argv[2:]:
    out = {"url": url}
    try:
        with opener.open(urllib.request.Request(url, headers={"User-Agent": "pip-mirror-wizard"}), timeout=20) as r:
            body = r.read()
            out.update(status=r.status, contentType=r.headers.get("Content-Type", ""), bytes=len(body), body=body[:limit].decode("utf-8", "replace"))
    except urllib.error.HTTPError as e:
        out.update(status=e.code, contentType=e.headers.get("Content-Type", ""), bytes=0, body="")
    except Exception as e:
        out.update(status=0, error=str(getattr(e, "reason", e)), bytes=0, body="")
    print(json.dumps(out), flush=True)
`

export interface HttpResult {
  url: string
  /** 0 when no HTTP answer came (refused, timed out, no route). */
  status: number
  contentType?: string
  bytes: number
  body: string
  error?: string
}

/** GETs each URL from the host; `python` is an interpreter path on the host. */
export async function httpGetFromHost(
  host: RemoteHost,
  python: string,
  urls: readonly string[],
  bodyLimit = 256 * 1024,
): Promise<HttpResult[]> {
  if (urls.length === 0) return []
  const result = await host.exec([python, '-c', HTTP_GET_SCRIPT, String(bodyLimit), ...urls], {
    quiet: true,
  })
  if (result.code !== 0)
    throw new EngineError(
      `Could not make HTTP requests from the host: ${result.stderr.trim().split('\n').pop() ?? ''}`,
      { host: host.label },
    )
  return result.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as HttpResult)
}
