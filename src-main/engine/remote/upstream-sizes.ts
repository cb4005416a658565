import { EngineError } from '../errors'
import sizesScript from './scripts/upstream-sizes.py?raw'
import type { RemoteHost } from '../ssh/remote-host'

export interface UpstreamSizes {
  projects: Record<string, { version: string | null; bytes: number; files: number }>
  errors: Record<string, string>
  totalBytes: number
}

/**
 * How big the files of each requested release are, asked of the upstream's JSON API from the
 * mirror host itself, which is the one that must reach the upstream (scripts/upstream-sizes.py).
 */
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
      sizesScript,
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
