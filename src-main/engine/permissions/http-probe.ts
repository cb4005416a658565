import type { MirrorSite } from '../site'
import type { RemoteHost } from '../ssh/remote-host'

export interface ProbeTarget {
  url: string
  /** What the URL stands for, such as "the simple index" or "a file nginx cannot read". */
  what: string
}

export interface HttpProbe extends ProbeTarget {
  /** The HTTP status; 0 when nothing answered. */
  status: number
}

/**
 * The mirror's URL as seen from the mirror host itself, so that a loopback or private listen
 * address works: http://<listen><location>, with 0.0.0.0 asked on 127.0.0.1.
 */
export function localMirrorUrl(mirror: MirrorSite): string {
  const [address, port] = mirror.serve.listen.split(':') as [string, string]
  const host = address === '0.0.0.0' ? '127.0.0.1' : address
  const location = mirror.serve.location.endsWith('/')
    ? mirror.serve.location
    : `${mirror.serve.location}/`
  return `http://${host}:${port}${location}`
}

/** The URL of a path relative to the served directory; directories end in `/`. */
export function urlOf(base: string, relativePath: string, isDirectory: boolean): string {
  const encoded = relativePath.split('/').filter(Boolean).map(encodeURIComponent).join('/')
  return `${base}${encoded}${isDirectory && encoded ? '/' : ''}`
}

/**
 * GETs each URL from the host itself and prints `<status>\t<url>`: curl where it exists, else
 * the host's Python. Proxies are bypassed and redirects are not followed, so the status is
 * nginx's own answer.
 */
export const HTTP_PROBE_SCRIPT = `
if command -v curl >/dev/null 2>&1; then
  for url; do
    code=$(curl -s -o /dev/null --noproxy '*' --max-time 10 -w '%{http_code}' "$url") || true
    printf '%s\\t%s\\n' "\${code:-000}" "$url"
  done
  exit 0
fi
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3) || { echo 'neither curl nor python3 on the host' >&2; exit 3; }
"$py" - "$@" <<'PY'
import sys
import urllib.error
import urllib.request

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect)
for url in sys.argv[1:]:
    try:
        with opener.open(url, timeout=10) as response:
            code = response.status
    except urllib.error.HTTPError as error:
        code = error.code
    except Exception:
        code = 0
    print("%03d\\t%s" % (code, url))
PY
`

export function parseProbes(text: string, targets: readonly ProbeTarget[]): HttpProbe[] {
  const statusByUrl = new Map<string, number>()
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t')
    if (tab > 0) statusByUrl.set(line.slice(tab + 1), Number(line.slice(0, tab)))
  }
  return targets.map((target) => ({ ...target, status: statusByUrl.get(target.url) ?? 0 }))
}

export async function probeHttp(
  host: RemoteHost,
  targets: readonly ProbeTarget[],
): Promise<HttpProbe[]> {
  const unique = [...new Map(targets.map((target) => [target.url, target])).values()]
  if (unique.length === 0) return []
  const result = await host.script(
    HTTP_PROBE_SCRIPT,
    unique.map((target) => target.url),
  )
  return parseProbes(result.stdout, unique)
}

/**
 * Probes until every URL answers 200 or the time is up: a reload hands requests to new
 * workers over a moment, so the first answer after one can still be the old configuration's.
 */
export async function waitForHttpOk(
  host: RemoteHost,
  targets: readonly ProbeTarget[],
  timeoutMs = 5000,
): Promise<HttpProbe[]> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const probes = await probeHttp(host, targets)
    if (probes.every((probe) => probe.status === 200) || Date.now() > deadline) return probes
    await new Promise((resolve) => setTimeout(resolve, 300))
  }
}
