import { EngineError } from '../errors'
import type { HostFacts } from '../remote/facts'
import { httpGetFromHost } from '../remote/http-get'
import { existingPaths } from '../schedule/existing-files'
import { planScheduleRemoval } from '../schedule/remove-schedule-step'
import { mirrorUrl, type Site } from '#shared/site'
import { mirrorLayout } from '../steps/mirror-layout'
import { nginxReloadArgv } from '../steps/nginx'
import { command, type Change } from '../plan/change'
import type { Step } from '../steps/step'
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
  const { dir } = mirrorLayout(site.mirror)
  if (targets.runningSync !== null)
    changes.push(
      command(
        `Stop the running sync (pid ${targets.runningSync}) and everything it started`,
        ['kill', '-TERM', '--', `-${targets.runningSync}`],
        // A sync that ended meanwhile is not a failure.
        { sudo: false, okExitCodes: [1], waitFor: { what: 'sync-stopped', directory: dir } },
      ),
    )
  changes.push(...planScheduleRemoval(mirrorLayout(site.mirror), targets.schedule))
  if (targets.nginx.length > 0) {
    changes.push(
      command(`Delete the nginx site: ${targets.nginx.join(', ')}`, [
        'rm',
        '-f',
        '--',
        ...targets.nginx,
      ]),
    )
    if (facts.nginx.running)
      changes.push(
        command('Check the nginx configuration without the site', ['nginx', '-t']),
        command(
          'Reload nginx: it stops serving the mirror and goes on serving its other sites',
          nginxReloadArgv(facts).argv,
        ),
      )
  }
  if (targets.directory)
    changes.push(
      command(
        `Delete the mirror directory ${targets.directory} (web/, config, requirements, sync state)`,
        ['rm', '-rf', '--one-file-system', '--', targets.directory],
      ),
    )
  return changes
}

/** Deletes exactly the paths the plan listed (the typed host name is checked before the run). */
export const removeMirrorStep: Step<{ paths: string[] }> = {
  id: 'remove-mirror',
  title: 'Remove the mirror',
  async plan(ctx) {
    const targets = await removalTargets(ctx.host, ctx.site)
    return {
      changes: removalChanges(ctx.site, targets, ctx.facts),
      notes: [
        ...targets.paths.map((path) => `deletes ${path}`),
        ...targets.kept.map((kept) => `keeps ${kept}`),
      ],
      outputs: { paths: targets.paths },
    }
  },
  async verify(ctx) {
    const removed = ctx.output(removeMirrorStep)?.paths ?? []
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

/**
 * Remove the mirror. Plan it freely (the plan lists every path); applying needs `confirmHost`,
 * the host name as the operator typed it, equal to the site's.
 */
export function removeMirrorAction(site: Site, confirmHost: string | null = null): SiteAction {
  return {
    id: 'remove-mirror',
    title: 'Remove the mirror',
    site,
    steps: [removeMirrorStep],
    precondition: () => checkHostConfirmation(site, confirmHost),
  }
}
