import { EngineError } from '../errors'
import type { HostFacts } from '../remote/facts'
import { formatBytes } from '#shared/format-bytes'
import { upstreamSizes } from '../remote/upstream-sizes'
import { mirrorRequirements } from '../site-file'
import { parseRequirement, type Site } from '#shared/site'
import { portFactsRead, portPlanFor } from '../ports'
import { chooseBandersnatch } from './bandersnatch-release'
import { mirrorCurrentReads, mirrorIsCurrent } from './mirror-current'
import type { Finding, PlanContext, Step } from './step'

const SUPPORTED = ['debian', 'ubuntu']
/** Room kept free beyond the mirror's own size: logs, the venv, metadata, a sync's temp files. */
const DISK_MARGIN_BYTES = 512 * 1024 * 1024

function osFindings(facts: HostFacts): Finding[] {
  const family = [facts.os.id, ...facts.os.like]
  if (!family.some((id) => SUPPORTED.includes(id)) || facts.packageManager !== 'apt-get')
    return [
      {
        severity: 'blocker',
        title: `Unsupported operating system: ${facts.os.name || facts.os.id || 'unknown'}`,
        evidence: `ID=${facts.os.id} package manager=${facts.packageManager ?? 'none'}`,
        fix: 'use a Debian or Ubuntu host (apt-get); other systems are not supported yet',
      },
    ]
  return []
}

function pythonFindings(facts: HostFacts): Finding[] {
  if (!facts.python)
    return [
      {
        severity: 'warning',
        title: 'python3 is not installed',
        fix: 'it will be installed with apt-get (python3 python3-venv)',
      },
    ]
  if (!chooseBandersnatch(facts.python.version))
    return [
      {
        severity: 'blocker',
        title: `Python ${facts.python.version} is too old for any bandersnatch release`,
        evidence: facts.python.path,
        fix: 'use a host with Python 3.8 or later (Debian 11+, Ubuntu 20.04+)',
      },
    ]
  return []
}

function listenFindings(facts: HostFacts, site: Site): Finding[] {
  const ip = site.mirror.serve.listen.split(':')[0] as string
  if (ip.startsWith('127.'))
    return [
      {
        severity: 'warning',
        title: `The mirror will listen on ${ip}, a loopback address`,
        evidence: `serve.listen = ${site.mirror.serve.listen}`,
        fix: `OpenLambda sandboxes cannot reach loopback; use one of the host's own addresses: ${facts.ipv4.filter((a) => !a.startsWith('127.')).join(', ') || '(none found)'}`,
      },
    ]
  if (ip !== '0.0.0.0' && !facts.ipv4.includes(ip))
    return [
      {
        severity: 'blocker',
        title: `${ip} is not an address of this host`,
        evidence: `the host has: ${facts.ipv4.join(', ')}`,
        fix: 'choose one of the addresses listed for serve.listen',
      },
    ]
  return []
}

async function privilegeFindings(ctx: PlanContext, facts: HostFacts): Promise<Finding[]> {
  if (facts.sudo === 'none')
    return [
      {
        severity: 'blocker',
        title: `${facts.user} cannot become root (no sudo)`,
        fix: 'log in as root, or as a user allowed to use sudo',
      },
    ]
  if (facts.sudo === 'sudo-password') {
    if (!ctx.host.hasSudoPassword)
      return [
        {
          severity: 'blocker',
          title: `sudo needs ${facts.user}'s password`,
          fix: 'enter the sudo password (CLI: PIP_MIRROR_SUDO_PASSWORD)',
        },
      ]
    // Asks sudo once, reading nothing: a wrong password fails here, before any change.
    const check = await ctx.host.read(['true'], { sudo: true, quiet: true })
    if (check.code !== 0)
      return [
        {
          severity: 'blocker',
          title: `sudo does not accept ${facts.user}'s password`,
          fix: 'check the sudo password (CLI: PIP_MIRROR_SUDO_PASSWORD)',
        },
      ]
  }
  return []
}

async function diskAndUpstreamFindings(
  ctx: PlanContext,
  facts: HostFacts,
): Promise<{ findings: Finding[]; note: string }> {
  const { mirror } = ctx.site
  const python = facts.python?.path
  if (!python)
    return { findings: [], note: 'the mirror size is estimated once Python is installed' }
  const requirements = mirrorRequirements(ctx.site).map((line) => {
    const parsed = parseRequirement(line)
    const pinned = parsed?.specifier.match(/^===?([^,]+)$/)
    return pinned ? `${parsed?.name}==${pinned[1]}` : (parsed?.name ?? line)
  })
  const sizes = await upstreamSizes(ctx.host, python, {
    upstream: mirror.upstream,
    proxy: mirror.proxy,
    platforms: mirror.platforms,
    requirements,
  })
  const failed = Object.entries(sizes.errors)
  if (failed.length === requirements.length && failed.length > 0)
    return {
      findings: [
        {
          severity: 'blocker',
          title: `The upstream ${mirror.upstream} cannot be reached from ${facts.hostname || 'the host'}`,
          evidence: failed[0]?.[1],
          fix: mirror.proxy
            ? 'check the proxy setting and that it allows this upstream'
            : 'check the upstream URL, DNS and firewall, or set "proxy" when the host reaches PyPI only through one',
        },
      ],
      note: '',
    }
  const findings: Finding[] = failed.map(([item, reason]) => ({
    severity: 'blocker',
    title: `${item} is not on the upstream`,
    evidence: reason,
    fix: 'check the spelling and the version of this requirement',
  }))
  const free = facts.disk?.freeBytes ?? 0
  const needed = sizes.totalBytes + DISK_MARGIN_BYTES
  if (free < needed)
    findings.push({
      severity: 'blocker',
      title: `Not enough disk for the mirror at ${mirror.directory}`,
      evidence: `the requested releases alone are ${formatBytes(sizes.totalBytes)} (plus ${formatBytes(DISK_MARGIN_BYTES)} headroom); ${facts.disk?.mount ?? '?'} has ${formatBytes(free)} free`,
      fix: 'free space, or choose a mirror directory on a larger filesystem',
    })
  return {
    findings,
    note: `the requested releases are at least ${formatBytes(sizes.totalBytes)} (dependencies come on top); ${formatBytes(free)} free`,
  }
}

/** What the facts alone say about a host (no further commands). */
export function hostFindings(facts: HostFacts, site: Site): Finding[] {
  return [...osFindings(facts), ...pythonFindings(facts), ...listenFindings(facts, site)]
}

/**
 * Refuses early, with a reason and a fix, every host the later steps would fail on. A read-only
 * step: it plans no change. The upstream and the disk are asked about only when the mirror is not
 * already current (a converged host costs no request to the upstream).
 */
export const preflightStep: Step = {
  id: 'preflight',
  title: 'Check the host',
  reads: (site) => [...mirrorCurrentReads(site), portFactsRead(site)],
  async plan(ctx) {
    const facts = ctx.facts
    const findings = [
      ...osFindings(facts),
      ...pythonFindings(facts),
      ...listenFindings(facts, ctx.site),
      ...(await privilegeFindings(ctx, facts)),
    ]
    const notes = [
      `${facts.os.name || facts.os.id}; Python ${facts.python?.version ?? 'not installed'}; init: ${facts.init}; sudo: ${facts.sudo}`,
      `nginx: ${facts.nginx.installed ? (facts.nginx.running ? 'running' : 'installed, not running') : 'not installed'} (user ${facts.nginx.user}, from ${facts.nginx.userSource})`,
    ]
    if (!findings.some((f) => f.severity === 'blocker')) {
      // Ports taken by other programs, said before anything is installed.
      findings.push(...portPlanFor(ctx.state, ctx.site, facts).findings)
    }
    if (!findings.some((f) => f.severity === 'blocker')) {
      if (mirrorIsCurrent(ctx.state, ctx.site, ctx.host.label))
        notes.push('the mirror holds the current requirements: nothing to fetch from the upstream')
      else {
        const upstream = await diskAndUpstreamFindings(ctx, facts)
        findings.push(...upstream.findings)
        if (upstream.note) notes.push(upstream.note)
      }
    }
    for (const finding of findings) ctx.finding(finding)
    const blockers = findings.filter((f) => f.severity === 'blocker')
    if (blockers.length > 0)
      throw new EngineError(
        `The host cannot take the mirror: ${blockers.map((b) => b.title).join('; ')}`,
        {
          host: ctx.host.label,
          hint: blockers
            .map((b) => b.fix)
            .filter(Boolean)
            .join('; '),
        },
      )
    return { changes: [], notes }
  },
}
