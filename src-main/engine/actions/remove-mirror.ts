import { EngineError } from '../errors'
import type { HostFacts } from '../remote/facts'
import { httpGetFromHost } from '../remote/http-get'
import { existingPaths } from '../schedule/existing-files'
import { planScheduleRemoval } from '../schedule/remove-schedule-step'
import { mirrorUrl, type Site } from '../site'
import { mirrorLayout } from '../steps/mirror-layout'
import { nginxReloadArgv } from '../steps/nginx'
import type { Change, Step, StepContext } from '../steps/step'
import { syncState } from '../sync/sync-job'
import { removalTargets, type RemovalTargets } from './removal-targets'
import type { SiteAction } from './site-action'

export class HostConfirmationError extends EngineError {
  override name = 'HostConfirmationError'
}

/** Removing a mirror goes ahead only when the operator typed its host name exactly. */
export function checkHostConfirmation(site: Site, confirmHost: string | null | undefined): void {
  if (confirmHost !== site.mirror.ssh.host)
    throw new HostConfirmationError(
      confirmHost
        ? `"${confirmHost}" is not the mirror's host name: nothing was removed`
        : 'Removing the mirror needs its host name, typed: nothing was removed',
      { hint: `type ${site.mirror.ssh.host} exactly to confirm` },
    )
}

/** The removal, in order: stop the sync, the schedule, the nginx site, then the directory. */
export function removalChanges(
  site: Site,
  targets: RemovalTargets,
  facts: Pick<HostFacts, 'init' | 'nginx'>,
): Change[] {
  const changes: Change[] = []
  if (targets.runningSync !== null)
    changes.push({
      kind: 'command',
      summary: `Stop the running sync (pid ${targets.runningSync}) and everything it started`,
      argv: ['kill', '-TERM', '--', `-${targets.runningSync}`],
      sudo: false,
    })
  changes.push(...planScheduleRemoval(mirrorLayout(site.mirror), targets.schedule))
  if (targets.nginx.length > 0) {
    changes.push({
      kind: 'command',
      summary: `Delete the nginx site: ${targets.nginx.join(', ')}`,
      argv: ['rm', '-f', '--', ...targets.nginx],
      sudo: true,
    })
    if (facts.nginx.running)
      changes.push(
        {
          kind: 'command',
          summary: 'Check the nginx configuration without the site',
          argv: ['nginx', '-t'],
          sudo: true,
        },
        {
          kind: 'command',
          summary: 'Reload nginx: it stops serving the mirror and goes on serving its other sites',
          argv: nginxReloadArgv(facts).argv,
          sudo: true,
        },
      )
  }
  if (targets.directory)
    changes.push({
      kind: 'command',
      summary: `Delete the mirror directory ${targets.directory} (web/, config, requirements, sync state)`,
      argv: ['rm', '-rf', '--one-file-system', '--', targets.directory],
      sudo: true,
    })
  return changes
}

async function waitForSyncToStop(ctx: StepContext): Promise<void> {
  const layout = mirrorLayout(ctx.site.mirror)
  for (let attempt = 0; attempt < 50; attempt++) {
    if ((await syncState(ctx.host, layout)).kind !== 'running') return
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new EngineError('The sync did not stop within 10 seconds; nothing else was removed', {
    host: ctx.host.label,
    hint: 'try again; or stop it on the host (`pip-mirror cancel-sync`)',
  })
}

/** Deletes what the plan listed. `confirmHost` is checked here too: the plan alone deletes nothing. */
export function removeMirrorStep(confirmHost: string | null): Step {
  return {
    id: 'remove-mirror',
    title: 'Remove the mirror',
    async check(ctx) {
      const targets = await removalTargets(ctx.host, ctx.site)
      return {
        done: targets.paths.length === 0,
        summary: targets.paths.length === 0 ? 'nothing is left' : `${targets.paths.length} paths`,
      }
    },
    async plan(ctx) {
      const targets = await removalTargets(ctx.host, ctx.site)
      return {
        changes: removalChanges(ctx.site, targets, await ctx.facts()),
        notes: [
          ...targets.paths.map((path) => `deletes ${path}`),
          ...targets.kept.map((kept) => `keeps ${kept}`),
        ],
      }
    },
    async apply(ctx) {
      checkHostConfirmation(ctx.site, confirmHost)
      const targets = await removalTargets(ctx.host, ctx.site)
      for (const change of removalChanges(ctx.site, targets, await ctx.facts(true))) {
        if (change.kind !== 'command') continue
        ctx.log(change.summary)
        const result = await ctx.host.exec(change.argv, { sudo: change.sudo })
        // A timer systemd no longer knows, or a sync that ended meanwhile, is not a failure.
        const tolerated = change.argv[0] === 'kill' || change.argv[1] === 'disable'
        if (result.code !== 0 && !tolerated)
          throw new EngineError(`${change.summary} failed:\n${result.stderr.trim()}`, {
            host: ctx.host.label,
            hint: 'fix what the message names and remove again: what is already gone stays gone',
          })
        if (change.argv[0] === 'kill') await waitForSyncToStop(ctx)
      }
      ctx.shared.set('removed-paths', targets.paths)
      await ctx.facts(true)
    },
    async verify(ctx) {
      const removed = (ctx.shared.get('removed-paths') as string[] | undefined) ?? []
      const left = await existingPaths(ctx.host, removed)
      if (left.length > 0)
        throw new EngineError(`These paths are still there: ${left.join(', ')}`, {
          host: ctx.host.label,
          hint: 'delete them as root',
        })
      const url = `${mirrorUrl(ctx.site.mirror)}/simple/`
      const [answer] = await httpGetFromHost(ctx.host, [url], { bodyLimit: 0 })
      if (answer?.status === 200)
        throw new EngineError(`${url} still answers 200 after the removal`, {
          host: ctx.host.label,
          hint: 'another nginx site serves that address: look in /etc/nginx/sites-enabled',
        })
      ctx.log(`Removed ${removed.length} paths; ${url} no longer serves the mirror`)
    },
  }
}

/**
 * Remove the mirror. Plan it freely (the plan's `deletes` lists every path); applying needs
 * `confirmHost`, the host name as the operator typed it, equal to the site's.
 */
export function removeMirrorAction(site: Site, confirmHost: string | null = null): SiteAction {
  return {
    id: 'remove-mirror',
    title: 'Remove the mirror',
    site,
    steps: [removeMirrorStep(confirmHost)],
    deletes: async (host) => (await removalTargets(host, site)).paths,
    precondition: () => checkHostConfirmation(site, confirmHost),
  }
}
