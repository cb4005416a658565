import type { BareHost } from './host'

/** Python's urllib on the host itself: the status and body of a GET, or the error. */
const GET = `
import sys, urllib.request, urllib.error
proxies = {"http": sys.argv[2], "https": sys.argv[2]} if sys.argv[2] else {}
opener = urllib.request.build_opener(urllib.request.ProxyHandler(proxies))
try:
    with opener.open(sys.argv[1], timeout=15) as response:
        sys.stdout.write("%d\\n" % response.status)
        sys.stdout.write(response.read().decode("utf-8", "replace"))
except urllib.error.HTTPError as error:
    sys.stdout.write("%d\\n" % error.code)
except Exception as error:
    sys.stdout.write("error %s\\n" % error)
`

export interface InsideAnswer {
  /** The HTTP status, or 0 when nothing answered. */
  status: number
  body: string
  error?: string
}

/** GET `url` from inside the host (optionally through a proxy), as a program there would. */
export async function getFromHost(host: BareHost, url: string, proxy = ''): Promise<InsideAnswer> {
  const out = await host.run(['python3', '-c', GET, url, proxy])
  const [first = '', ...rest] = out.split('\n')
  if (first.startsWith('error ')) return { status: 0, body: '', error: first.slice(6) }
  return { status: Number(first), body: rest.join('\n') }
}

/**
 * pip in a fresh venv on the host, with nothing but the mirror as its index (no pip.conf, no
 * proxy: the host has no other way out), installing `requirements` with their dependencies.
 */
export async function pipInstallOnHost(
  host: BareHost,
  indexUrl: string,
  requirements: readonly string[],
): Promise<{ code: number; output: string }> {
  const result = await host.exec([
    'sh',
    '-c',
    'venv=$(mktemp -d)/venv && python3 -m venv "$venv" && cd / && index=$1 trusted=$2 && shift 2 && ' +
      'PIP_CONFIG_FILE=/dev/null "$venv/bin/pip" install --disable-pip-version-check --no-cache-dir ' +
      '--index-url "$index" --trusted-host "$trusted" "$@" && "$venv/bin/pip" freeze',
    'sh',
    indexUrl,
    // Plain http, as OpenLambda's installer uses the mirror: pip wants the host named trusted.
    new URL(indexUrl).hostname,
    ...requirements,
  ])
  return { code: result.code, output: result.stdout + result.stderr }
}
