import { nginxSiteName } from '../config/nginx-site'
import { command, type Change } from '../plan/change'
import type { HostState } from '../plan/host-state'
import { defineProbe } from '../plan/probe'
import { probeRead, type ProbeRequest } from '../plan/state-request'
import type { HostFacts } from '../remote/facts'
import type { Site } from '#shared/site'
import { parsePortFacts } from './port-facts'
import { DEFAULT_SITE_LINK, planPorts, type PortPlan } from './port-plan'
import portFactsScript from './scripts/port-facts.sh?raw'

export { planPorts, DEFAULT_SITE_LINK, type PortPlan } from './port-plan'
export { parsePortFacts, type PortFacts, type Listener } from './port-facts'

/** The ports probe, read as root (only root sees every process's sockets). */
const portFactsProbe = defineProbe({
  name: 'port-facts',
  script: portFactsScript,
  sudo: true,
  // Which ports are taken and by what the plan depends on; a restarted holder's new pid it does not.
  stable: (output) =>
    output
      .split('\n')
      .map((line) =>
        line.startsWith('listen ') ? line.split(' ').toSpliced(3, 1).join(' ') : line,
      )
      .join('\n'),
})

/** The ports a site's plan looks at: its own, and 80 (Debian's default site). */
export const portFactsRead = (site: Site): ProbeRequest =>
  probeRead(portFactsProbe, ...new Set([portOf(site.mirror.serve.listen), '80']))

const portOf = (listen: string): string => listen.slice(listen.lastIndexOf(':') + 1)

/**
 * The host's ports, read in the plan's batch, judged for this site. A probe that could not run
 * is a warning, not a refusal: the ports are then not known, and nginx says so if it must.
 */
export function portPlanFor(state: HostState, site: Site, facts: HostFacts): PortPlan {
  const name = nginxSiteName(site.mirror.serve.listen)
  const result = state.probe(portFactsRead(site))
  if (result.code !== 0)
    return {
      findings: [
        {
          severity: 'warning',
          title: 'Could not see which ports are taken on the host',
          evidence: result.output.trim() || `the ports probe exited with code ${result.code}`,
          fix: 'nothing to do unless nginx then fails to start: the port check was skipped',
        },
      ],
      disableDefaultSite: null,
    }
  return planPorts({
    facts: parsePortFacts(result.output),
    nginx: { installed: facts.nginx.installed, running: facts.nginx.running },
    listen: site.mirror.serve.listen,
    ownSiteFiles: [`/etc/nginx/sites-enabled/${name}`, `/etc/nginx/sites-available/${name}`],
  })
}

/** The nginx step's change that keeps Debian's default site off a taken port 80, if needed. */
export function defaultSiteChanges(plan: PortPlan): Change[] {
  if (!plan.disableDefaultSite) return []
  return [
    command(`Keep Debian's default site disabled: ${plan.disableDefaultSite}`, [
      'rm',
      '-f',
      DEFAULT_SITE_LINK,
    ]),
  ]
}
