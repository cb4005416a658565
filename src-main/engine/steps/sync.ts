import { createHash } from 'node:crypto'
import { EngineError } from '../errors'
import { readRemoteFile, writeRemoteFileAtomic } from '../ssh/files'
import { scriptCommand } from '../remote/quote'
import type { RemoteHost } from '../ssh/remote-host'
import type { MirrorSite } from '../site'
import {
  followSync,
  startDetachedSync,
  syncLogTail,
  syncState,
  detachedSyncArgv,
} from '../sync/sync-job'
import { explainSyncFailure } from '../sync/sync-failure'
import { BANDERSNATCH, mirrorLayout } from './mirror-layout'
import { parsePinnedRequirements } from './pinned-requirements'
import type { Step, StepContext } from './step'

/** What a sync mirrored: the config and the pinned requirements it read. */
async function syncInputs(host: RemoteHost, mirror: MirrorSite): Promise<string> {
  const layout = mirrorLayout(mirror)
  const [conf, txt] = await Promise.all([
    readRemoteFile(host, layout.conf),
    readRemoteFile(host, layout.requirementsTxt),
  ])
  return createHash('sha256')
    .update(conf ?? '')
    .update('\0')
    .update(txt ?? '')
    .digest('hex')
}

async function isSynced(ctx: StepContext): Promise<boolean> {
  const layout = mirrorLayout(ctx.site.mirror)
  const [state, recorded, wanted] = await Promise.all([
    syncState(ctx.host, layout),
    readRemoteFile(ctx.host, layout.syncedInputs),
    syncInputs(ctx.host, ctx.site.mirror),
  ])
  return state.kind !== 'running' && !state.todo && recorded?.toString('utf8').trim() === wanted
}

/** Follows the running sync to its end, then says whether it mirrored everything. */
async function waitForSync(ctx: StepContext, pid: number): Promise<void> {
  const layout = mirrorLayout(ctx.site.mirror)
  await followSync(ctx.host, layout, pid, {
    onLine: (line) => ctx.log(line),
    onProgress: (done, all) => ctx.progress(done, all ?? done, 'projects'),
    signal: ctx.signal,
  })
  if (ctx.signal.aborted)
    throw new EngineError('Stopped following the sync; it goes on running on the host', {
      host: ctx.host.label,
      hint: 'apply again (or open the dashboard) to reattach to it',
    })
  const state = await syncState(ctx.host, layout)
  if (state.kind === 'running')
    throw new EngineError('Lost the sync while following it; it is still running', {
      host: ctx.host.label,
      hint: 'apply again to reattach',
    })
  const exitCode = state.kind === 'finished' ? state.exitCode : null
  if (exitCode !== 0 || state.todo) {
    const [tail, facts] = await Promise.all([syncLogTail(ctx.host, layout, 15), ctx.facts(true)])
    // Bare hosts (issue 14): a full disk or an unreachable upstream said as such.
    const failure = explainSyncFailure({
      mirror: ctx.site.mirror,
      exitCode,
      todo: state.todo,
      logTail: tail,
      logPath: layout.syncLog,
      disk: facts.disk,
    })
    throw new EngineError(failure.message, { host: ctx.host.label, hint: failure.hint })
  }
}

/** Prints each project (after the web dir argument) that has no index page. */
const MISSING_INDEX_PAGES =
  'web=$1; shift; cd "$web" && for p in "$@"; do [ -s "simple/$p/index.html" ] || echo "$p"; done'

export const syncStep: Step = {
  id: 'sync',
  title: 'Mirror the packages',
  async check(ctx) {
    const done = await isSynced(ctx)
    return {
      done,
      summary: done ? 'the mirror holds the current requirements' : 'a sync is needed',
    }
  },
  async plan(ctx) {
    const layout = mirrorLayout(ctx.site.mirror)
    const state = await syncState(ctx.host, layout)
    if (state.kind === 'running')
      return {
        changes: [
          {
            kind: 'command',
            summary: `Reattach to the sync already running (pid ${state.pid})`,
            argv: ['tail', '-f', layout.syncLog],
            sudo: false,
          },
        ],
        notes: [],
      }
    if (await isSynced(ctx))
      return { changes: [], notes: ['the mirror already holds the current requirements'] }
    const facts = await ctx.facts()
    const { argv, sudo } = detachedSyncArgv(layout, facts)
    const txt = (await readRemoteFile(ctx.host, layout.requirementsTxt))?.toString('utf8') ?? ''
    const projects = new Set(parsePinnedRequirements(txt).map((p) => p.name)).size
    return {
      changes: [
        {
          kind: 'command',
          summary: `Run \`${BANDERSNATCH} mirror\` detached${projects ? ` for ${projects} projects` : ''}; it survives a lost connection`,
          argv,
          sudo,
        },
      ],
      notes: state.todo
        ? ['an earlier sync did not finish: bandersnatch resumes it from its todo list']
        : [],
    }
  },
  async apply(ctx) {
    const layout = mirrorLayout(ctx.site.mirror)
    const state = await syncState(ctx.host, layout)
    let pid: number
    if (state.kind === 'running') {
      ctx.log(`Reattaching to the sync running as pid ${state.pid}`)
      pid = state.pid
    } else {
      pid = await startDetachedSync(ctx.host, layout, await ctx.facts())
      ctx.log(`Sync started (pid ${pid}); log: ${layout.syncLog}`)
    }
    await waitForSync(ctx, pid)
    await writeRemoteFileAtomic(
      ctx.host,
      layout.syncedInputs,
      `${await syncInputs(ctx.host, ctx.site.mirror)}\n`,
      { backup: false },
    )
  },
  async verify(ctx) {
    const layout = mirrorLayout(ctx.site.mirror)
    const txt = (await readRemoteFile(ctx.host, layout.requirementsTxt))?.toString('utf8') ?? ''
    const names = [...new Set(parsePinnedRequirements(txt).map((p) => p.name))]
    const result = await ctx.host.exec(scriptCommand(MISSING_INDEX_PAGES, [layout.web, ...names]), {
      quiet: true,
    })
    const missing = result.stdout.trim().split('\n').filter(Boolean)
    if (result.code !== 0 || missing.length > 0)
      throw new EngineError(
        `The mirror has no index page for: ${missing.join(', ') || '(could not look)'}`,
        { host: ctx.host.label, hint: `read ${layout.syncLog}; apply again from the sync step` },
      )
  },
}
