import { createHash } from 'node:crypto'
import { posix } from 'node:path'
import { z } from 'zod'
import { readMirrorPins, pinKey } from '../audit/mirror-pins'
import { runPythonJson } from '../remote/python'
import type { RemoteHost } from '../ssh/remote-host'
import type { Site } from '#shared/site'
import { mirrorLayout } from '../steps/mirror-layout'
import pruneTargetsProgram from './scripts/prune-targets.py?raw'

/** What a prune deletes, as data: read once, shown, and then deleted exactly. */
export interface PruneTargets {
  /** The releases no longer pinned that stop being served (`name==version`). */
  pins: string[]
  /** retained.txt as the plan found it: applying refuses if it changed since. */
  retainedText: string
  /** Files of those releases: regular files inside web/packages. */
  files: { pin: string; path: string; size: number }[]
  /** Index pages and saved JSON of projects that no pin names any more. */
  pages: string[]
  /** Paths that were not taken, and why (a symbolic link, outside web/packages). */
  refused: { path: string; reason: string }[]
  /** Every path deleted, in order. */
  paths: string[]
  bytes: number
  /** sha256 of the above: applying refuses to delete anything else. */
  digest: string
}

const listingSchema = z.object({
  files: z.array(z.object({ pin: z.string(), path: z.string(), size: z.number() })),
  pages: z.array(z.string()),
  refused: z.array(z.object({ path: z.string(), reason: z.string() })),
})

export type PruneListing = z.infer<typeof listingSchema>

/**
 * Whether a path is one a prune may delete: a file under web/packages/, or a project's index
 * page or saved JSON; absolute, without `.`/`..` or empty components. The host checks again
 * (symbolic links, regular files) before it deletes.
 */
export function isPrunablePath(web: string, path: string): boolean {
  if (!path.startsWith(`${web}/`) || posix.normalize(path) !== path) return false
  const parts = path.slice(web.length + 1).split('/')
  if (parts.some((p) => p === '' || p === '.' || p === '..')) return false
  const [top, name, file] = parts
  if (top === 'packages') return parts.length >= 2
  if (top === 'simple')
    return (
      parts.length === 3 &&
      !!name &&
      ['index.html', 'index.v1_html', 'index.v1_json'].includes(file ?? '')
    )
  if (top === 'json') return parts.length === 2
  if (top === 'pypi') return parts.length === 3 && file === 'json'
  return false
}

/** The prune's targets from the host's listing, every path checked once more here. */
export function pruneTargetsFrom(
  web: string,
  pins: readonly string[],
  retainedText: string,
  listing: PruneListing,
): PruneTargets {
  const refused = [...listing.refused]
  const files = listing.files.filter((f) => {
    const ok = isPrunablePath(web, f.path) && f.path.startsWith(`${web}/packages/`)
    if (!ok) refused.push({ path: f.path, reason: 'not a file under web/packages' })
    return ok
  })
  const pages = listing.pages.filter((p) => {
    const ok = isPrunablePath(web, p) && !p.startsWith(`${web}/packages/`)
    if (!ok) refused.push({ path: p, reason: "not a project's index page or saved JSON" })
    return ok
  })
  const paths = [...files.map((f) => f.path), ...pages]
  const data = { pins: [...pins], retainedText, files, pages, refused, paths }
  return {
    ...data,
    bytes: files.reduce((n, f) => n + f.size, 0),
    digest: createHash('sha256').update(JSON.stringify(data)).digest('hex'),
  }
}

/** Reads what a prune would delete: the retained pins' files, and pages no pin needs. */
export async function pruneTargets(host: RemoteHost, site: Site): Promise<PruneTargets> {
  const layout = mirrorLayout(site.mirror)
  const pins = await readMirrorPins(host, site.mirror)
  const prune = pins.retained.map(({ name, version }) => ({ name, version }))
  const listing =
    prune.length === 0
      ? { files: [], pages: [], refused: [] }
      : await runPythonJson(
          host,
          `Listing the files of ${prune.length} releases to prune`,
          pruneTargetsProgram,
          [],
          listingSchema,
          {
            stdin: JSON.stringify({
              web: layout.web,
              prune,
              keep: [...new Set(pins.pinned.map((p) => p.name))],
            }),
          },
        )
  return pruneTargetsFrom(layout.web, pins.retained.map(pinKey), pins.retainedText, listing)
}
