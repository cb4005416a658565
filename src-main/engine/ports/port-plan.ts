import type { Finding } from '../steps/step'
import type { Listener, NginxListen, PortFacts } from './port-facts'

/** Debian's default site: enabled by the nginx package, listening on port 80 (IPv4 and IPv6). */
export const DEFAULT_SITE_LINK = '/etc/nginx/sites-enabled/default'
const DEFAULT_SITE_PORT = 80

export interface PortPlanInput {
  facts: PortFacts
  nginx: { installed: boolean; running: boolean }
  /** The site's serve.listen, "10.0.0.5:8080". */
  listen: string
  /** The mirror's own nginx site, as sites-enabled/ and sites-available/ name it. */
  ownSiteFiles: readonly string[]
}

export interface PortPlan {
  /** Blockers stop the run before anything is installed; warnings say what the plan does about them. */
  findings: Finding[]
  /** Why Debian's default site has to stay disabled, or null when it can stay as it is. */
  disableDefaultSite: string | null
}

/** Whether a socket bound to `held` keeps anyone else from binding `wanted` on the same port. */
function overlaps(held: string, wanted: string): boolean {
  const every = (a: string) => a === '0.0.0.0' || a === '::'
  return every(held) || every(wanted) || held === wanted || held === `::ffff:${wanted}`
}

function holders(listeners: readonly Listener[]): string {
  const seen = new Map<string, Listener>()
  for (const l of listeners) {
    const key = l.process ? `${l.process}:${l.pid}` : 'unknown'
    if (!seen.has(key)) seen.set(key, l)
  }
  const names = [...seen.values()].map((l) =>
    l.process ? `${l.process} (pid ${l.pid})` : 'a process this login cannot see',
  )
  return names.length > 2 ? `${names.slice(0, 2).join(', ')} and others` : names.join(' and ')
}

function processNames(listeners: readonly Listener[]): string {
  return [...new Set(listeners.map((l) => l.process ?? 'that process'))].join(' and ')
}

function sockets(listeners: readonly Listener[]): string {
  return [...new Set(listeners.map((l) => `${l.address}:${l.port}`))].join(', ')
}

function where(l: NginxListen): string {
  return `${l.file}: listen ${l.address ?? '*'}:${l.port}${l.defaultServer ? ' default_server' : ''}`
}

/**
 * What the ports on the host mean for serving the mirror, before anything is installed: the
 * site's own port taken by another program (a blocker), Debian's default site unable to take
 * port 80 (the plan keeps it disabled so nginx starts), nginx already answering other sites on
 * the site's port (a blocker: a server for that address would take their requests), and enabled
 * sites that keep a stopped nginx from starting.
 */
export function planPorts(input: PortPlanInput): PortPlan {
  const { facts, nginx } = input
  const [address = '', portText = ''] = input.listen.split(':')
  const port = Number(portText)
  const others = facts.listeners.filter((l) => l.process !== 'nginx')
  const findings: Finding[] = []

  const onSitePort = others.filter((l) => l.port === port && overlaps(l.address, address))
  if (onSitePort.length > 0)
    findings.push({
      severity: 'blocker',
      title: `Port ${port} on ${address} is already taken by ${holders(onSitePort)}`,
      evidence: `listening on ${sockets(onSitePort)}`,
      fix: `stop ${processNames(onSitePort)}, or choose another port for serve.listen; nothing was installed`,
    })

  const onDefaultPort = others.filter((l) => l.port === DEFAULT_SITE_PORT)
  const defaultSiteComes =
    !nginx.installed || (facts.defaultSite.enabled && facts.defaultSite.stock)
  let disableDefaultSite: string | null = null
  if (
    onDefaultPort.length > 0 &&
    defaultSiteComes &&
    !nginx.running &&
    port !== DEFAULT_SITE_PORT
  ) {
    disableDefaultSite = `port ${DEFAULT_SITE_PORT} is taken by ${holders(onDefaultPort)}`
    findings.push({
      severity: 'warning',
      title: `Port ${DEFAULT_SITE_PORT} is taken by ${holders(onDefaultPort)}: Debian's default nginx site cannot listen there`,
      evidence: `listening on ${sockets(onDefaultPort)}; the nginx package enables ${DEFAULT_SITE_LINK} on port ${DEFAULT_SITE_PORT}`,
      fix: `the plan keeps the default site disabled (removes the link ${DEFAULT_SITE_LINK}; sites-available/default stays), so nginx starts with the mirror's site on port ${port}`,
    })
  }

  const own = new Set(input.ownSiteFiles)
  const ownSiteLoaded = facts.nginxListens.some((l) => own.has(l.file))
  const stockDefault = (l: NginxListen) => l.file === DEFAULT_SITE_LINK && facts.defaultSite.stock
  if (nginx.running && !ownSiteLoaded) {
    const sharing = facts.nginxListens.filter(
      (l) =>
        !own.has(l.file) && l.port === port && (l.address === null || overlaps(l.address, address)),
    )
    const served = sharing.filter((l) => !stockDefault(l))
    if (served.length > 0)
      findings.push({
        severity: 'blocker',
        title: `nginx already serves other sites on port ${port}: a server for ${address}:${port} would answer their requests to ${address}`,
        evidence: served.map(where).join('; '),
        fix: `choose another port for serve.listen (one nginx does not listen on), so those sites keep serving; nothing was installed`,
      })
    else if (sharing.length > 0)
      findings.push({
        severity: 'info',
        title: `Debian's welcome page on port ${port} will no longer answer at ${address}`,
        evidence: sharing.map(where).join('; '),
        fix: 'nothing to do, unless that page is wanted: then choose another port for serve.listen',
      })
  }

  if (nginx.installed && !nginx.running) {
    const blocked = facts.nginxListens.filter(
      (l) => !own.has(l.file) && !(disableDefaultSite && l.file === DEFAULT_SITE_LINK),
    )
    for (const l of blocked) {
      const taken = others.filter(
        (o) => o.port === l.port && overlaps(o.address, l.address ?? '0.0.0.0'),
      )
      if (taken.length > 0)
        findings.push({
          severity: 'blocker',
          title: `nginx cannot start: ${l.file} listens on port ${l.port}, which ${holders(taken)} holds`,
          evidence: where(l),
          fix: `stop ${processNames(taken)}, or change or disable ${l.file} (the plan changes no site but the mirror's); nothing was installed`,
        })
    }
  }
  return { findings: dedupe(findings), disableDefaultSite }
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>()
  return findings.filter((f) => !seen.has(f.title) && !!seen.add(f.title))
}
