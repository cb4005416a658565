import { EngineError } from '../errors'
import type { HostFacts } from '../remote/facts'
import type { Site } from '#shared/site'
import { nginxReloadArgv, nginxStep } from '../steps/nginx'
import { command } from '../plan/change'
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
  async plan(ctx) {
    const { facts } = ctx
    if (!facts.nginx.installed)
      throw new EngineError('nginx is not installed on the mirror host', {
        host: ctx.host.label,
        hint: 'apply the site (the wizard or `pip-mirror apply`) to install and configure it',
      })
    const restart = nginxRestartArgv(facts)
    return {
      changes: [
        command('Check the whole nginx configuration first', NGINX_TEST, {
          failure: {
            message: 'nginx -t rejected the configuration, so nginx was left as it is',
            hint: 'the message names the file and line to fix; then restart again',
          },
        }),
        command(restart.summary, restart.argv),
      ],
      notes: [facts.nginx.running ? 'nginx is running' : 'nginx is not running'],
    }
  },
  async verify(ctx) {
    await nginxStep.verify?.(ctx)
  },
}

/** Restart nginx, then prove the mirror answers at its URL. */
export function restartNginxAction(site: Site): SiteAction {
  return { id: 'restart-nginx', title: 'Restart nginx', site, steps: [restartNginxStep] }
}
