import { nginxSiteName, renderNginxSite } from '../config/nginx-site'
import { EngineError } from '../errors'
import type { HostFacts } from '../remote/facts'
import { describeHttpResult, httpGetFromHost, type HttpResult } from '../remote/http-get'
import { readRemoteFile, writeRemoteFileAtomic } from '../ssh/files'
import type { RemoteHost } from '../ssh/remote-host'
import { mirrorUrl, type MirrorSite } from '../site'
import { applyDefaultSiteChanges, defaultSiteChanges, portPlanFor } from '../ports'
import { forbiddenError } from '../permissions/forbidden-error'
import { planManagedFile } from './managed-file'
import { mirrorLayout } from './mirror-layout'
import type { Change, Step, StepContext } from './step'

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

async function symlinkIsCurrent(
  host: RemoteHost,
  enabled: string,
  available: string,
): Promise<boolean> {
  const result = await host.exec(['readlink', enabled], { quiet: true })
  return result.code === 0 && result.stdout.trim() === available
}

/**
 * Writes the site, enables it and checks the whole configuration with `nginx -t`. On failure it
 * puts back what was there, so the running nginx (never reloaded) keeps serving as before.
 */
async function installSite(ctx: StepContext): Promise<void> {
  const { host } = ctx
  const paths = nginxSitePaths(ctx.site.mirror)
  const previous = await readRemoteFile(host, paths.available)
  const linkWasCurrent = await symlinkIsCurrent(host, paths.enabled, paths.available)
  const previousLink = (await host.exec(['readlink', paths.enabled], { quiet: true })).stdout.trim()
  await writeRemoteFileAtomic(host, paths.available, nginxSiteFor(ctx.site.mirror), {
    mode: 0o644,
    previous,
  })
  if (!linkWasCurrent)
    await host.run(['ln', '-sfn', paths.available, paths.enabled], { sudo: true })
  const test = await host.exec(['nginx', '-t'], { sudo: true })
  if (test.code === 0) return
  if (previous === null) await host.run(['rm', '-f', paths.available], { sudo: true })
  else await writeRemoteFileAtomic(host, paths.available, previous, { backup: false })
  if (!linkWasCurrent) {
    if (previousLink) await host.run(['ln', '-sfn', previousLink, paths.enabled], { sudo: true })
    else await host.run(['rm', '-f', paths.enabled], { sudo: true })
  }
  throw new EngineError(
    `nginx -t rejected the configuration; the previous files are back and nginx was not reloaded:\n${test.stderr.trim()}`,
    {
      host: host.label,
      hint: 'the message above names the file and line; another site may use the same address and port',
    },
  )
}

export const nginxStep: Step = {
  id: 'nginx',
  title: 'Serve the mirror with nginx',
  async check(ctx) {
    const plan = await this.plan(ctx)
    return {
      done: plan.changes.length === 0,
      summary: plan.changes.map((c) => c.summary).join('; ') || 'nginx serves the mirror',
    }
  },
  async plan(ctx) {
    const facts = await ctx.facts()
    const paths = nginxSitePaths(ctx.site.mirror)
    const changes: Change[] = []
    if (!facts.nginx.installed)
      changes.push({
        kind: 'command',
        summary: 'Install nginx',
        argv: ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', 'nginx'],
        sudo: true,
      })
    const site = await planManagedFile(
      ctx.host,
      { path: paths.available, content: nginxSiteFor(ctx.site.mirror) },
      `Write the nginx site ${paths.name}`,
    )
    if (site) changes.push(site)
    if (!(await symlinkIsCurrent(ctx.host, paths.enabled, paths.available)))
      changes.push({
        kind: 'command',
        summary: `Enable the site ${paths.name}`,
        argv: ['ln', '-sfn', paths.available, paths.enabled],
        sudo: true,
      })
    // Bare hosts (issue 14): Debian's default site must not keep nginx off a taken port 80.
    changes.push(...defaultSiteChanges(await portPlanFor(ctx.host, ctx.site, facts)))
    if (changes.length > 0 || !facts.nginx.running) {
      changes.push({
        kind: 'command',
        summary: 'Check the whole nginx configuration',
        argv: ['nginx', '-t'],
        sudo: true,
      })
      const reload = nginxReloadArgv(facts)
      changes.push({ kind: 'command', summary: reload.summary, argv: reload.argv, sudo: true })
    }
    return { changes, notes: [`served at ${mirrorUrl(ctx.site.mirror)}/simple/`] }
  },
  async apply(ctx, plan) {
    if (plan.changes.some((c) => c.kind === 'command' && c.argv.includes('apt-get'))) {
      await ctx.host.run(['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'update', '-q'], {
        sudo: true,
      })
      await ctx.host.run(
        ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', 'nginx'],
        { sudo: true },
      )
    }
    await applyDefaultSiteChanges(ctx, plan)
    await installSite(ctx)
    const facts = await ctx.facts(true)
    await ctx.host.run(nginxReloadArgv(facts).argv, { sudo: true })
    await ctx.facts(true)
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
