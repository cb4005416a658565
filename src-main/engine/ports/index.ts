import { nginxSiteName } from '../config/nginx-site'
import { describeError } from '../errors'
import type { HostFacts } from '../remote/facts'
import type { Site } from '../site'
import type { RemoteHost } from '../ssh/remote-host'
import type { Change, StepContext, StepPlan } from '../steps/step'
import { probePortFacts } from './port-facts'
import { DEFAULT_SITE_LINK, planPorts, type PortPlan } from './port-plan'

export { planPorts, DEFAULT_SITE_LINK, type PortPlan } from './port-plan'
export { probePortFacts, parsePortFacts, type PortFacts, type Listener } from './port-facts'

/**
 * The host's ports read and judged for this site (one round trip, as root). A probe that cannot
 * run is a warning, not a refusal: the ports are then not known, and nginx says so if it must.
 */
export async function portPlanFor(
  host: RemoteHost,
  site: Site,
  facts: HostFacts,
): Promise<PortPlan> {
  const name = nginxSiteName(site.mirror.serve.listen)
  let ports
  try {
    ports = await probePortFacts(host)
  } catch (error) {
    return {
      findings: [
        {
          severity: 'warning',
          title: 'Could not see which ports are taken on the host',
          evidence: describeError(error),
          fix: 'nothing to do unless nginx then fails to start: the port check was skipped',
        },
      ],
      disableDefaultSite: null,
    }
  }
  return planPorts({
    facts: ports,
    nginx: { installed: facts.nginx.installed, running: facts.nginx.running },
    listen: site.mirror.serve.listen,
    ownSiteFiles: [`/etc/nginx/sites-enabled/${name}`, `/etc/nginx/sites-available/${name}`],
  })
}

const DISABLE_DEFAULT_SITE = ['rm', '-f', DEFAULT_SITE_LINK] as const

/** The nginx step's change that keeps Debian's default site off a taken port 80, if needed. */
export function defaultSiteChanges(plan: PortPlan): Change[] {
  if (!plan.disableDefaultSite) return []
  return [
    {
      kind: 'command',
      summary: `Keep Debian's default site disabled: ${plan.disableDefaultSite}`,
      argv: [...DISABLE_DEFAULT_SITE],
      sudo: true,
    },
  ]
}

/** Runs that change if the plan has it: after nginx is installed, before it is started. */
export async function applyDefaultSiteChanges(ctx: StepContext, plan: StepPlan): Promise<void> {
  for (const change of plan.changes)
    if (
      change.kind === 'command' &&
      change.argv.length === DISABLE_DEFAULT_SITE.length &&
      change.argv.every((arg, i) => arg === DISABLE_DEFAULT_SITE[i])
    ) {
      ctx.log(change.summary)
      await ctx.host.run(change.argv, { sudo: change.sudo })
    }
}
