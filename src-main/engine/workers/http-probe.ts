import { z } from 'zod'
import type { RemoteHost } from '../ssh/remote-host'
import { runPythonJson } from './remote-python'

/**
 * An HTTP GET made on the worker host itself, not from the machine running the wizard: what
 * counts is whether the worker reaches the URL. No proxy: pip inside an OpenLambda sandbox has
 * none either.
 */
const HTTP_PROBE = `
import json, socket, sys, urllib.error, urllib.request
url, timeout = sys.argv[1], float(sys.argv[2])
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
request = urllib.request.Request(url, headers={"Accept": "text/html", "User-Agent": "pip-mirror-wizard"})
out = {"url": url, "status": 0, "error": None, "body": ""}
try:
    with opener.open(request, timeout=timeout) as response:
        out["status"] = response.status
        out["body"] = response.read(65536).decode("utf-8", "replace")
except urllib.error.HTTPError as e:
    out["status"] = e.code
    out["error"] = "HTTP %d %s" % (e.code, e.reason)
except urllib.error.URLError as e:
    out["error"] = str(e.reason)
except (socket.timeout, OSError) as e:
    out["error"] = str(e) or type(e).__name__
print(json.dumps(out))
`

const probeSchema = z.object({
  url: z.string(),
  /** 0 when no HTTP answer came at all. */
  status: z.number(),
  error: z.string().nullable(),
  /** The first 64 KiB of the answer. */
  body: z.string(),
})

export type HttpProbe = z.infer<typeof probeSchema>

export function probeUrl(host: RemoteHost, url: string, timeoutSeconds = 10): Promise<HttpProbe> {
  return runPythonJson(host, `GET ${url}`, HTTP_PROBE, [url, String(timeoutSeconds)], probeSchema)
}

/** "HTTP 200", "HTTP 403 Forbidden", "no answer: [Errno 111] Connection refused". */
export function describeProbe(probe: HttpProbe): string {
  if (probe.status === 0) return `no answer: ${probe.error ?? 'unknown error'}`
  return probe.error ?? `HTTP ${probe.status}`
}
