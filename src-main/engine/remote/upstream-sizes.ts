import { EngineError } from '../errors'
import type { RemoteHost } from '../ssh/remote-host'

/**
 * Asks the upstream's JSON API, from the mirror host itself (it is the one that must reach the
 * upstream), how big the files of each requested release are. Python's standard library only;
 * honours HTTP(S)_PROXY from the environment.
 * argv: upstream, platforms kept (comma list), then name or name==version per project.
 */
const SIZES_SCRIPT = String.raw`
import json, sys, urllib.request, urllib.error
upstream, kept = sys.argv[1].rstrip("/"), set(sys.argv[2].split(","))
def platform_of(name):
    n = name.lower()
    if "-win" in n or "win32" in n or "win_" in n: return "windows"
    if "macosx" in n: return "macos"
    if "linux" in n: return "linux"
    return None
out = {"projects": {}, "errors": {}}
for item in sys.argv[3:]:
    name, _, version = item.partition("==")
    url = upstream + "/pypi/" + name + ("/" + version if version else "") + "/json"
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            data = json.load(response)
    except urllib.error.HTTPError as e:
        out["errors"][item] = "HTTP %d from %s" % (e.code, url)
        continue
    except Exception as e:
        out["errors"][item] = "%s: %s" % (url, e)
        continue
    files = data.get("urls") or []
    kept_files = [f for f in files if platform_of(f.get("filename", "")) in (None, *kept)]
    out["projects"][item] = {"version": data.get("info", {}).get("version"), "bytes": sum(int(f.get("size") or 0) for f in kept_files), "files": len(kept_files)}
print(json.dumps(out))
`

export interface UpstreamSizes {
  projects: Record<string, { version: string | null; bytes: number; files: number }>
  errors: Record<string, string>
  totalBytes: number
}

export async function upstreamSizes(
  host: RemoteHost,
  python: string,
  options: {
    upstream: string
    proxy: string | null
    platforms: readonly string[]
    requirements: readonly string[]
  },
): Promise<UpstreamSizes> {
  const env = options.proxy
    ? ['env', `HTTP_PROXY=${options.proxy}`, `HTTPS_PROXY=${options.proxy}`]
    : []
  const result = await host.read(
    [
      ...env,
      python,
      '-c',
      SIZES_SCRIPT,
      options.upstream,
      options.platforms.join(','),
      ...options.requirements,
    ],
    {
      quiet: true,
    },
  )
  if (result.code !== 0)
    throw new EngineError(
      `Asking ${options.upstream} for file sizes failed: ${result.stderr.trim().split('\n').pop() ?? ''}`,
      { host: host.label },
    )
  const parsed = JSON.parse(result.stdout) as Omit<UpstreamSizes, 'totalBytes'>
  const totalBytes = Object.values(parsed.projects).reduce((sum, p) => sum + p.bytes, 0)
  return { ...parsed, totalBytes }
}
