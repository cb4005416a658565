import { defineProbe } from '../plan/probe'
import { probeRead, type StateRequest } from '../plan/state-request'
import type { HostState } from '../plan/host-state'
import syncStateScript from '../sync/scripts/sync-state.sh?raw'
import { parseSyncState, syncStateArgs, type SyncState } from '../sync/sync-job'
import dirStateScript from './scripts/dir-state.sh?raw'
import toolsVersionsScript from './scripts/tools-versions.sh?raw'
import { VENV_PYTHON, type MirrorLayout } from './mirror-layout'

/** The read-only probes the mirror steps add to a plan's one batched state read. */

const toolsVersionsProbe = defineProbe({ name: 'tools-versions', script: toolsVersionsScript })
const dirStateProbe = defineProbe({ name: 'dir-state', script: dirStateScript })
const syncStateProbe = defineProbe({
  name: 'sync-state',
  script: syncStateScript,
  // The log grows while a sync runs; what the plan depends on is whether one runs, and which.
  stable: (output) =>
    output
      .split('\n')
      .filter((line) => !line.startsWith('log '))
      .join('\n'),
})

export const toolsVersionsRead = (): StateRequest => probeRead(toolsVersionsProbe, VENV_PYTHON)

/** bandersnatch's and uv's versions in the tools venv (absent: not installed). */
export function toolsVersions(state: HostState): Map<string, string> {
  const result = state.probe(probeRead(toolsVersionsProbe, VENV_PYTHON))
  const versions = new Map<string, string>()
  if (result.code !== 0) return versions
  for (const line of result.output.trim().split('\n')) {
    const [name, version] = line.split(' ')
    if (name && version && version !== '-') versions.set(name, version)
  }
  return versions
}

export const dirStateRead = (...dirs: string[]): StateRequest => probeRead(dirStateProbe, ...dirs)

export type DirState = 'missing' | 'writable' | 'not-writable'

export function dirStates(state: HostState, ...dirs: string[]): DirState[] {
  const output = state.probe(probeRead(dirStateProbe, ...dirs)).output
  return output.trim().split('\n') as DirState[]
}

export const syncStateRead = (layout: MirrorLayout): StateRequest =>
  probeRead(syncStateProbe, ...syncStateArgs(layout))

export function plannedSyncState(state: HostState, layout: MirrorLayout): SyncState {
  return parseSyncState(state.probe(probeRead(syncStateProbe, ...syncStateArgs(layout))).output)
}
