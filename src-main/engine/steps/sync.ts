import { EngineError } from '../errors'
import { command, type Change, type WaitTarget } from '../plan/change'
import { fileRead } from '../plan/state-request'
import type { HostFacts } from '../remote/facts'
import { scriptCommand } from '../remote/quote'
import type { MirrorSite, Site } from '#shared/site'
import { detachedSyncArgv } from '../sync/sync-job'
import { mirrorCurrentReads, syncIsCurrent } from './mirror-current'
import { BANDERSNATCH, mirrorLayout } from './mirror-layout'
import { parsePinnedRequirements } from './pinned-requirements'
import { plannedSyncState } from './probes'
import prepareSync from './scripts/prepare-sync.sh?raw'
import recordSyncedInputs from './scripts/record-synced-inputs.sh?raw'
import missingIndexPages from './scripts/missing-index-pages.sh?raw'
import { readRemoteFile } from '../ssh/files'
import type { PlanContext, Step } from './step'

/**
 * A sync, in order: clear the previous sync's exit file, start bandersnatch detached (the run
 * follows it to its end, reading its log), and record what it mirrored. `why` opens the summary.
 */
export function syncChanges(
  mirror: MirrorSite,
  facts: Pick<HostFacts, 'init' | 'user' | 'uid'>,
  summary: string,
): Change[] {
  const layout = mirrorLayout(mirror)
  const start = detachedSyncArgv(layout, facts)
  return [
    command(
      'Clear what the previous sync left (its exit file)',
      scriptCommand(prepareSync, [layout.state, layout.syncExit, layout.syncPid]),
      { sudo: false },
    ),
    command(summary, start.argv, {
      sudo: start.sudo,
      waitFor: syncWait(mirror),
    }),
    command(
      'Record what the sync mirrored',
      scriptCommand(recordSyncedInputs, [layout.conf, layout.requirementsTxt, layout.syncedInputs]),
      { sudo: false },
    ),
  ]
}

/** Following a sync: what a failure names (the upstream and proxy it could not reach) is planned too. */
const syncWait = (mirror: MirrorSite): WaitTarget => ({
  what: 'sync',
  directory: mirrorLayout(mirror).dir,
  upstream: mirror.upstream,
  proxy: mirror.proxy,
})

function touches(change: Change, paths: readonly string[]): boolean {
  if (change.kind === 'file') return paths.includes(change.path)
  if (change.kind === 'derive') return change.writes.some((path) => paths.includes(path))
  return change.kind === 'command' && change.argv.some((arg) => paths.includes(arg))
}

/** The sync step's plan; `force` syncs even a current mirror (what the upstream changed since). */
export function planSync(ctx: PlanContext, force: boolean): { changes: Change[]; notes: string[] } {
  const layout = mirrorLayout(ctx.site.mirror)
  const state = plannedSyncState(ctx.state, layout)
  if (state.kind === 'running')
    return {
      changes: [
        {
          kind: 'wait',
          summary: `Reattach to the sync already running (pid ${state.pid})`,
          waitFor: syncWait(ctx.site.mirror),
        },
      ],
      notes: [],
    }
  // The config or the pins change earlier in this plan: the mirror needs a sync whatever it holds.
  const resolves = ctx.earlierChanges.some((change) =>
    touches(change, [layout.conf, layout.requirementsTxt]),
  )
  if (!force && !resolves && syncIsCurrent(ctx.state, ctx.site, ctx.host.label))
    return { changes: [], notes: ['the mirror already holds the current requirements'] }
  const txt = ctx.state.text(layout.requirementsTxt, ctx.host.label) ?? ''
  const projects = new Set(parsePinnedRequirements(txt).map((p) => p.name)).size
  const summary = force
    ? 'Run `bandersnatch mirror` detached now: it fetches what the upstream changed since the last sync'
    : `Run \`${BANDERSNATCH} mirror\` detached${projects && !resolves ? ` for ${projects} projects` : ''}; it survives a lost connection`
  return {
    changes: syncChanges(ctx.site.mirror, ctx.facts, summary),
    notes: state.todo
      ? ['an earlier sync did not finish: bandersnatch resumes it from its todo list']
      : [],
  }
}

export function syncReads(site: Site) {
  return [...mirrorCurrentReads(site), fileRead(mirrorLayout(site.mirror).requirementsTxt)]
}

/** Proves every pinned project has its index page in the mirror's web/ (read on the host). */
export async function verifyIndexPages(ctx: {
  host: PlanContext['host']
  site: { mirror: MirrorSite }
}): Promise<void> {
  const layout = mirrorLayout(ctx.site.mirror)
  const txt = (await readRemoteFile(ctx.host, layout.requirementsTxt))?.toString('utf8') ?? ''
  const names = [...new Set(parsePinnedRequirements(txt).map((p) => p.name))]
  const result = await ctx.host.read(scriptCommand(missingIndexPages, [layout.web, ...names]), {
    quiet: true,
  })
  const missing = result.stdout.trim().split('\n').filter(Boolean)
  if (result.code !== 0 || missing.length > 0)
    throw new EngineError(
      `The mirror has no index page for: ${missing.join(', ') || '(could not look)'}`,
      { host: ctx.host.label, hint: `read ${layout.syncLog}; apply again from the sync step` },
    )
}

export const syncStep: Step = {
  id: 'sync',
  title: 'Mirror the packages',
  reads: syncReads,
  plan: async (ctx) => planSync(ctx, false),
  verify: verifyIndexPages,
}
