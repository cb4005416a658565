import { unifiedDiff } from '../engine/config/diff'
import { mirrorUrl, type Site, type WorkerSite } from '#shared/site'

/** A change an operator must look at before a site file replaces a saved site. */
export interface SiteChangeNote {
  field: string
  before: string | null
  after: string | null
  /** What the value decides, in a few words. */
  why: string
}

export interface SiteReplacement {
  /** The unified diff of the saved file against the imported one. */
  diff: string
  /** The changes that decide where packages come from, what runs as root, and where workers go. */
  notable: SiteChangeNote[]
}

const WHY = {
  upstream: 'every package the mirror serves is downloaded from here',
  proxy: 'every download from the upstream goes through it',
  pipIndexUrl: 'the index the mirror host resolves the requirements against',
  mirrorUrl: 'the address the workers are pointed at',
  ol: 'the program run as root on the worker',
  pipMirror: 'the index this worker installs packages from',
  workerAdded: 'a new host the apply will log in to and change',
  workerRemoved: 'no longer managed by this site',
}

function workerKey(worker: WorkerSite): string {
  const { user, host, port } = worker.ssh
  return `${user}@${host}:${port} ${worker.workerDir}`
}

function note(
  notes: SiteChangeNote[],
  field: string,
  before: string | null | undefined,
  after: string | null | undefined,
  why: string,
): void {
  if ((before ?? null) !== (after ?? null))
    notes.push({ field, before: before ?? null, after: after ?? null, why })
}

/**
 * What importing `incoming` over the saved `previous` would change; null when nothing would.
 * Workers are matched by login and worker directory, so a reordered list is not a change.
 */
export function siteReplacement(
  fileName: string,
  previous: Site,
  incoming: Site,
): SiteReplacement | null {
  const before = `${JSON.stringify(previous, null, 2)}\n`
  const after = `${JSON.stringify(incoming, null, 2)}\n`
  if (before === after) return null
  const notable: SiteChangeNote[] = []
  const [was, now] = [previous.mirror, incoming.mirror]
  note(notable, 'mirror.upstream', was.upstream, now.upstream, WHY.upstream)
  note(notable, 'mirror.proxy', was.proxy, now.proxy, WHY.proxy)
  note(notable, 'mirror.pipIndexUrl', was.pipIndexUrl, now.pipIndexUrl, WHY.pipIndexUrl)
  note(notable, 'mirror URL', mirrorUrl(was), mirrorUrl(now), WHY.mirrorUrl)
  const old = new Map(previous.workers.map((w) => [workerKey(w), w]))
  const current = new Map(incoming.workers.map((w) => [workerKey(w), w]))
  for (const [key, worker] of current) {
    const prior = old.get(key)
    if (!prior) {
      note(notable, `worker ${key}`, null, `added, ol ${worker.ol}`, WHY.workerAdded)
      continue
    }
    note(notable, `worker ${key}: ol`, prior.ol, worker.ol, WHY.ol)
    note(notable, `worker ${key}: pipMirror`, prior.pipMirror, worker.pipMirror, WHY.pipMirror)
  }
  for (const key of old.keys())
    if (!current.has(key)) note(notable, `worker ${key}`, 'present', null, WHY.workerRemoved)
  return { diff: unifiedDiff(before, after, { path: fileName }), notable }
}
