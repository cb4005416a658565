import { EngineError } from '../errors'
import type { HostFacts } from '../remote/facts'
import type { Site } from '../site'
import { nginxReloadArgv, nginxStep } from '../steps/nginx'
import type { Step } from '../steps/step'
import type { SiteAction } from './site-action'

const NGINX_TEST = ['nginx', '-t']

/**
 * With systemd, a real restart. Without it the running nginx is reloaded (new workers, the same
 * master: nothing stops serving) or started: stopping it would cut every site it serves.
 */
export function nginxRestartArgv(facts: Pick<HostFacts, 'init' | 'nginx'>): {
  argv: string[]
  summary: string
} {
  if (facts.init === 'systemd')
    return { argv: ['systemctl', 'restart', 'nginx'], summary: 'Restart nginx' }
  const reload = nginxReloadArgv(facts)
  return facts.nginx.running
    ? {
        argv: reload.argv,
        summary: 'Reload nginx: new workers, the new configuration (no systemd)',
      }
    : reload
}

export const restartNginxStep: Step = {
  id: 'nginx-restart',
  title: 'Restart nginx',
  async check(ctx) {
    const facts = await ctx.facts()
    return {
      done: false,
      summary: facts.nginx.running ? 'nginx is running' : 'nginx is not running',
    }
  },
  async plan(ctx) {
    const facts = await ctx.facts()
    if (!facts.nginx.installed)
      throw new EngineError('nginx is not installed on the mirror host', {
        host: ctx.host.label,
        hint: 'apply the site (the wizard or `pip-mirror apply`) to install and configure it',
      })
    const restart = nginxRestartArgv(facts)
    return {
      changes: [
        {
          kind: 'command',
          summary: 'Check the whole nginx configuration first',
          argv: NGINX_TEST,
          sudo: true,
        },
        { kind: 'command', summary: restart.summary, argv: restart.argv, sudo: true },
      ],
      notes: [facts.nginx.running ? 'nginx is running' : 'nginx is not running'],
    }
  },
  async apply(ctx) {
    const test = await ctx.host.exec(NGINX_TEST, { sudo: true })
    if (test.code !== 0)
      throw new EngineError(
        `nginx -t rejected the configuration, so nginx was left as it is:\n${test.stderr.trim()}`,
        {
          host: ctx.host.label,
          hint: 'the message names the file and line to fix; then restart again',
        },
      )
    await ctx.host.run(nginxRestartArgv(await ctx.facts(true)).argv, { sudo: true })
    await ctx.facts(true)
  },
  verify: (ctx) => nginxStep.verify(ctx),
}

/** Restart nginx, then prove the mirror answers at its URL. */
export function restartNginxAction(site: Site): SiteAction {
  return { id: 'restart-nginx', title: 'Restart nginx', site, steps: [restartNginxStep] }
}
