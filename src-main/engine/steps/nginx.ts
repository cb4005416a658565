import { nginxSiteName, renderNginxSite } from '../config/nginx-site'
import { EngineError } from '../errors'
import type { HostFacts } from '../remote/facts'
import { describeHttpResult, httpGetFromHost, type HttpResult } from '../remote/http-get'
import {
  command,
  type Change,
  type CommandChange,
  type FileChange,
  type RollbackChange,
} from '../plan/change'
import { fileRead, linkRead } from '../plan/state-request'
import { scriptCommand } from '../remote/quote'
import { mirrorUrl, type MirrorSite } from '#shared/site'
import { planFile, sha256 } from './managed-file'
import { defaultSiteChanges, portFactsRead, portPlanFor } from '../ports'
import { forbiddenError } from '../permissions/forbidden-error'
import { mirrorLayout } from './mirror-layout'
import { aptInstall } from './python-tools'
import reloadOrStart from './scripts/nginx-reload-or-start.sh?raw'
import type { PlanContext, Step } from './step'

const SITES_AVAILABLE = '/etc/nginx/sites-available'
const SITES_ENABLED = '/etc/nginx/sites-enabled'

export function nginxSitePaths(mirror: MirrorSite): {
  available: string
  enabled: string
  name: string
} {
  const name = nginxSiteName(mirror.serve.listen)
  return { name, available: `${SITES_AVAILABLE}/${name}`, enabled: `${SITES_ENABLED}/${name}` }
}

export function nginxSiteFor(mirror: MirrorSite): string {
  return renderNginxSite({
    listen: mirror.serve.listen,
    location: mirror.serve.location,
    webRoot: `${mirrorLayout(mirror).web}/`,
  })
}

/** How to make nginx take a new config: reload it if it runs, start it if not. */
export function nginxReloadArgv(facts: Pick<HostFacts, 'init' | 'nginx'>): {
  argv: string[]
  summary: string
} {
  if (facts.init === 'systemd')
    return facts.nginx.running
      ? { argv: ['systemctl', 'reload', 'nginx'], summary: 'Reload nginx' }
      : { argv: ['systemctl', 'start', 'nginx'], summary: 'Start nginx' }
  return facts.nginx.running
    ? { argv: ['nginx', '-s', 'reload'], summary: 'Reload nginx' }
    : { argv: ['nginx'], summary: 'Start nginx (no systemd on this host)' }
}

/** The reload-or-start for a plan that installs nginx: whether it runs afterwards is not known yet. */
export function nginxTakeConfig(): CommandChange {
  return command('Reload nginx, or start it if it does not run', scriptCommand(reloadOrStart))
}

/** What puts the site back as it was when `nginx -t` rejects the new configuration. */
function rollback(
  ctx: PlanContext,
  paths: ReturnType<typeof nginxSitePaths>,
  site: FileChange | null,
  linkChanges: boolean,
): RollbackChange[] {
  const undo: RollbackChange[] = []
  if (site) {
    const previous = ctx.state.text(paths.available, ctx.host.label)
    undo.push(
      previous === null
        ? command(`Remove the new ${paths.available}`, ['rm', '-f', '--', paths.available])
        : {
            ...site,
            summary: `Put the previous ${paths.available} back`,
            content: previous,
            replaces: sha256(site.content),
            backup: false,
            diff: '',
          },
    )
  }
  if (linkChanges) {
    const previousLink = ctx.state.link(paths.enabled)
    undo.push(
      previousLink
        ? command(`Point ${paths.enabled} back at ${previousLink}`, [
            'ln',
            '-sfn',
            previousLink,
            paths.enabled,
          ])
        : command(`Remove ${paths.enabled}`, ['rm', '-f', '--', paths.enabled]),
    )
  }
  return undo
}

export const nginxStep: Step = {
  id: 'nginx',
  title: 'Serve the mirror with nginx',
  reads(site) {
    const paths = nginxSitePaths(site.mirror)
    return [fileRead(paths.available), linkRead(paths.enabled), portFactsRead(site)]
  },
  async plan(ctx) {
    const { facts } = ctx
    const paths = nginxSitePaths(ctx.site.mirror)
    const changes: Change[] = []
    if (!facts.nginx.installed) changes.push(...aptInstall('Install nginx', ['nginx']))
    const site = planFile(
      ctx.state,
      ctx.host.label,
      { path: paths.available, content: nginxSiteFor(ctx.site.mirror), asRoot: true },
      `Write the nginx site ${paths.name}`,
    )
    if (site) changes.push(site)
    const linkChanges = ctx.state.link(paths.enabled) !== paths.available
    if (linkChanges)
      changes.push(
        command(`Enable the site ${paths.name}`, ['ln', '-sfn', paths.available, paths.enabled]),
      )
    // Debian's default site must not keep nginx off a taken port 80.
    changes.push(...defaultSiteChanges(portPlanFor(ctx.state, ctx.site, facts)))
    if (changes.length > 0 || !facts.nginx.running) {
      changes.push(
        command('Check the whole nginx configuration', ['nginx', '-t'], {
          onFailure: rollback(ctx, paths, site, linkChanges),
          failure: {
            message: 'nginx -t rejected the configuration',
            hint: 'nginx was not reloaded and serves as before; the message names the file and line (another site may use the same address and port)',
          },
        }),
      )
      if (!facts.nginx.installed) changes.push(nginxTakeConfig())
      else {
        const reload = nginxReloadArgv(facts)
        changes.push(command(reload.summary, reload.argv))
      }
    }
    return { changes, notes: [`served at ${mirrorUrl(ctx.site.mirror)}/simple/`] }
  },
  async verify(ctx) {
    const url = `${mirrorUrl(ctx.site.mirror)}/simple/`
    let answer: HttpResult | undefined
    // A freshly started or reloaded nginx takes a moment to bind.
    for (let attempt = 0; attempt < 20; attempt++) {
      answer = (await httpGetFromHost(ctx.host, [url], { bodyLimit: 0 }))[0]
      if (answer?.status === 200) return
      await new Promise((r) => setTimeout(r, 250))
    }
    // Bare hosts (issue 14): a 403 comes with the doctor's finding, not only a pointer to it.
    if (answer?.status === 403) throw await forbiddenError(ctx, url)
    throw new EngineError(`${url} answers ${answer ? describeHttpResult(answer) : 'nothing'}`, {
      host: ctx.host.label,
      hint: 'check that nginx runs and listens on that address',
    })
  },
}
