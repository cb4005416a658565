import { readRemoteFile } from '../ssh/files'
import type { RemoteHost } from '../ssh/remote-host'
import { mirrorUrl, type MirrorSite } from '#shared/site'
import { mirrorLayout } from '../steps/mirror-layout'
import { parsePinnedRequirements, type PinnedRequirement } from '../steps/pinned-requirements'
import { buildSystemsPath, readBuildSystems } from './build-systems-file'
import { fetchFromHost } from './fetch-index'
import { parseProjectPage } from './index-page'
import { computeMatrix, filesReliedOn, type MatrixInput } from './matrix'
import type { TargetMatrix } from './matrix-types'
import { parsePinLine } from './pin-line'
import type { ProjectPage } from './release-verdict'
import { siteTargets } from './targets'

/** What the proof cost: requests the mirror answered and bytes that came back. */
export interface ProofCost {
  pages: number
  files: number
  bytes: number
}

export interface TargetProof {
  matrix: TargetMatrix
  pins: PinnedRequirement[]
  cost: ProofCost
}

/** Every project the proof needs a page of: the pins and their sdists' build closures. */
function projectsOf(input: Pick<MatrixInput, 'pins' | 'buildSystems'>): string[] {
  const names = new Set(input.pins.map((pin) => pin.name))
  for (const system of Object.values(input.buildSystems ?? {}))
    for (const line of system.closure) {
      const pin = parsePinLine(line)
      if (pin) names.add(pin.name)
    }
  return [...names].sort()
}

/** The project pages, as the mirror serves them, in one batch from `host`. */
export async function fetchProjectPages(
  host: RemoteHost,
  indexUrl: string,
  projects: readonly string[],
  proxy: string | null = null,
): Promise<{ pages: Map<string, ProjectPage>; bytes: number }> {
  const base = indexUrl.replace(/\/+$/, '')
  const urls = projects.map((name) => `${base}/${name}/`)
  const answer = await fetchFromHost(host, 'GET', urls, { proxy })
  const pages = new Map<string, ProjectPage>()
  answer.results.forEach((result, i) => {
    pages.set(projects[i] as string, {
      url: result.url,
      status: result.status,
      error: result.error,
      files: result.status === 200 ? parseProjectPage(result.body, result.url) : [],
    })
  })
  return { pages, bytes: answer.bytes }
}

/**
 * Proves every pin on every target of the site from the mirror's own index, asked from the
 * mirror host: the project pages in one batch, then a HEAD of each file a cell relies on (no
 * file is downloaded). Two round trips, whatever the number of pins.
 */
export async function proveTargets(host: RemoteHost, mirror: MirrorSite): Promise<TargetProof> {
  const layout = mirrorLayout(mirror)
  const [txt, buildSystems] = await Promise.all([
    readRemoteFile(host, layout.requirementsTxt),
    readBuildSystems(host, buildSystemsPath(layout)),
  ])
  const pins = parsePinnedRequirements(txt?.toString('utf8') ?? '')
  const targets = siteTargets(mirror)
  const { pages, bytes } = await fetchProjectPages(
    host,
    `${mirrorUrl(mirror)}/simple`,
    projectsOf({ pins, buildSystems }),
  )
  const input: MatrixInput = { pins, targets, pages, buildSystems, fileStatus: null }
  const files = filesReliedOn(input)
  const heads = await fetchFromHost(host, 'HEAD', files)
  const fileStatus = new Map(heads.results.map((result) => [result.url, result.status]))
  return {
    matrix: computeMatrix({ ...input, fileStatus }),
    pins,
    cost: { pages: pages.size, files: files.length, bytes },
  }
}
