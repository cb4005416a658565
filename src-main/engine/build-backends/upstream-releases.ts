import type { RemoteHost } from '../ssh/remote-host'
import type { MirrorSite } from '#shared/site'
import type { PinnedRequirement } from '../steps/pinned-requirements'
import { fetchFromHost } from '../verify/fetch-index'
import type { IndexFile } from '../verify/index-page'
import type { ProjectPage } from '../verify/release-verdict'

interface ReleaseJson {
  urls?: {
    filename?: string
    url?: string
    requires_python?: string | null
    digests?: { sha256?: string }
    yanked?: boolean
  }[]
}

function filesOf(body: string): IndexFile[] {
  let parsed: ReleaseJson
  try {
    parsed = JSON.parse(body) as ReleaseJson
  } catch {
    return []
  }
  return (parsed.urls ?? []).flatMap((file) =>
    file.filename && file.url
      ? [
          {
            filename: file.filename,
            url: file.url,
            requiresPython: file.requires_python || null,
            sha256: file.digests?.sha256 ?? null,
            yanked: !!file.yanked,
          },
        ]
      : [],
  )
}

/**
 * The files of each pinned release on the upstream, from its JSON API
 * (`/pypi/<project>/<version>/json`, which bandersnatch reads too): only the pinned versions'
 * files, where a project's simple page would list every release it ever had.
 */
export async function upstreamReleaseFiles(
  host: RemoteHost,
  mirror: MirrorSite,
  pins: readonly PinnedRequirement[],
): Promise<Map<string, ProjectPage>> {
  const base = mirror.upstream.replace(/\/+$/, '')
  const urls = pins.map((pin) => `${base}/pypi/${pin.name}/${pin.version}/json`)
  const answer = await fetchFromHost(host, 'GET', urls, { proxy: mirror.proxy })
  const pages = new Map<string, ProjectPage>()
  answer.results.forEach((result, i) => {
    const name = (pins[i] as PinnedRequirement).name
    const page = pages.get(name) ?? {
      url: result.url,
      status: result.status,
      error: result.error,
      files: [],
    }
    if (result.status === 200) page.files.push(...filesOf(result.body))
    else if (page.status === 200)
      Object.assign(page, { status: result.status, error: result.error })
    pages.set(name, page)
  })
  return pages
}
