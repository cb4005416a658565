import type { HostState } from '../plan/host-state'
import { fileRead, type StateRequest } from '../plan/state-request'
import { mirrorRequirements } from '../site-file'
import type { Site } from '#shared/site'
import { bandersnatchConfFor } from './bandersnatch-config'
import { sha256 } from './managed-file'
import { mirrorLayout } from './mirror-layout'
import { plannedSyncState, syncStateRead } from './probes'
import { requirementsInText, resolutionStamp } from './resolve-requirements'

/** The stamp beside requirements.txt: what the resolution was made from. */
export const resolvedStampPath = (site: Site): string => mirrorLayout(site.mirror).resolvedStamp

export function wantedResolutionStamp(site: Site): string {
  return `${resolutionStamp(site.mirror, requirementsInText(mirrorRequirements(site)))}\n`
}

/** What synced-inputs holds after a sync of this config and this requirements.txt. */
export function syncedInputsFor(conf: string, requirementsTxt: string): string {
  return `${sha256(conf)} ${sha256(requirementsTxt)}\n`
}

export function mirrorCurrentReads(site: Site): StateRequest[] {
  const layout = mirrorLayout(site.mirror)
  return [
    fileRead(resolvedStampPath(site)),
    fileRead(layout.requirementsTxt),
    fileRead(layout.syncedInputs),
    syncStateRead(layout),
  ]
}

/** requirements.txt was resolved from the site's current list, Python and upstream. */
export function requirementsAreCurrent(state: HostState, site: Site, host: string): boolean {
  const layout = mirrorLayout(site.mirror)
  return (
    state.text(layout.requirementsTxt, host) !== null &&
    state.text(resolvedStampPath(site), host) === wantedResolutionStamp(site)
  )
}

/** The last sync mirrored this very config and requirements.txt, finished, and none runs. */
export function syncIsCurrent(state: HostState, site: Site, host: string): boolean {
  const layout = mirrorLayout(site.mirror)
  const txt = state.text(layout.requirementsTxt, host)
  const sync = plannedSyncState(state, layout)
  return (
    txt !== null &&
    sync.kind !== 'running' &&
    !sync.todo &&
    state.text(layout.syncedInputs, host) === syncedInputsFor(bandersnatchConfFor(site.mirror), txt)
  )
}

export function mirrorIsCurrent(state: HostState, site: Site, host: string): boolean {
  return requirementsAreCurrent(state, site, host) && syncIsCurrent(state, site, host)
}
