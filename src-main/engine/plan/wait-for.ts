import { EngineError } from '../errors'
import { probeFacts } from '../remote/facts'
import type { RemoteHost } from '../ssh/remote-host'
import { mirrorLayout } from '../steps/mirror-layout'
import { explainSyncFailure, failedProjects } from '../sync/sync-failure'
import { followSync, syncLogEvidence, syncState } from '../sync/sync-job'
import { waitForWorker, workerLogTail } from '../workers/worker-process'
import type { WaitTarget } from './change'

export interface WaitContext {
  signal: AbortSignal
  log(line: string): void
  progress(done: number, total: number, label?: string): void
}

/** Follows the detached sync to its end (reading only), then says whether it mirrored everything. */
async function followSyncToEnd(
  host: RemoteHost,
  target: Extract<WaitTarget, { what: 'sync' }>,
  ctx: WaitContext,
  started: boolean,
): Promise<void> {
  const layout = mirrorLayout(target)
  // The detached wrapper writes its pid file a moment after the command that started it returns.
  let running = await syncState(host, layout)
  for (let waited = 0; running.kind === 'none' && waited < 20_000; waited += 200) {
    await new Promise((resolve) => setTimeout(resolve, 200))
    running = await syncState(host, layout)
  }
  if (running.kind === 'none')
    throw new EngineError('The sync did not start', {
      host: host.label,
      hint: `look at ${layout.syncLog} on the host`,
    })
  if (running.kind === 'running') {
    ctx.log(
      started
        ? `Sync started (pid ${running.pid}); log: ${layout.syncLog}`
        : `Reattaching to the sync running as pid ${running.pid}`,
    )
    await followSync(host, layout, running.pid, {
      onLine: (line) => ctx.log(line),
      onProgress: (done, all) => ctx.progress(done, all ?? done, 'projects'),
      signal: ctx.signal,
    })
  }
  if (ctx.signal.aborted)
    throw new EngineError('Stopped following the sync; it goes on running on the host', {
      host: host.label,
      hint: 'apply again (or open the dashboard) to reattach to it',
    })
  const state = await syncState(host, layout)
  if (state.kind === 'running')
    throw new EngineError('Lost the sync while following it; it is still running', {
      host: host.label,
      hint: 'apply again to reattach',
    })
  const exitCode = state.kind === 'finished' ? state.exitCode : null
  const log = await syncLogEvidence(host, layout, 15)
  // bandersnatch exits 0 after logging projects it could not sync, not always leaving a todo file.
  if (exitCode === 0 && !state.todo && failedProjects(log.errors).length === 0) return
  const facts = await probeFacts(host, layout.dir)
  const failure = explainSyncFailure({
    mirror: target,
    exitCode,
    todo: state.todo,
    logTail: log.tail,
    logErrors: log.errors,
    logPath: layout.syncLog,
    disk: facts.disk,
  })
  throw new EngineError(failure.message, { host: host.label, hint: failure.hint })
}

async function waitForSyncToStop(host: RemoteHost, directory: string): Promise<void> {
  const layout = mirrorLayout({ directory })
  for (let attempt = 0; attempt < 50; attempt++) {
    if ((await syncState(host, layout)).kind !== 'running') return
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new EngineError('The sync did not stop within 10 seconds; nothing else was changed', {
    host: host.label,
    hint: 'try again; or stop it on the host (`pip-mirror cancel-sync`)',
  })
}

/**
 * Waits, reading only, for what a planned command started (`started`), or for what already ran
 * when the plan was made (a sync to reattach to).
 */
export async function waitFor(
  host: RemoteHost,
  target: WaitTarget,
  ctx: WaitContext,
  started: boolean,
): Promise<void> {
  switch (target.what) {
    case 'sync':
      return followSyncToEnd(host, target, ctx, started)
    case 'sync-stopped':
      return waitForSyncToStop(host, target.directory)
    case 'worker': {
      const state = await waitForWorker(host, target.workerDir, target.timeoutMs, ctx.signal)
      ctx.log(`${state.statusUrl} answers "${state.answer}"`)
      ctx.log('the end of worker.out:')
      for (const line of await workerLogTail(host, target.workerDir)) ctx.log(`  ${line}`)
    }
  }
}
