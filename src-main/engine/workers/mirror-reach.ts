import type { RemoteHost } from '../ssh/remote-host'
import type { DoctorFinding } from './doctor-finding'
import { describeProbe, probeUrl } from './http-probe'
import { isLoopbackHost, urlHost } from './loopback'

/** The index pip reads: `<pip_mirror>/simple/`. */
export function simpleIndexUrl(pipMirror: string): string {
  return `${pipMirror.replace(/\/+$/, '')}/simple/`
}

/**
 * Whether the worker host reaches the mirror's index, asked from the worker host itself. A
 * loopback address is refused even when it answers here: inside an OpenLambda sandbox it is the
 * sandbox itself.
 */
export async function mirrorReachFindings(
  host: RemoteHost,
  pipMirror: string,
): Promise<DoctorFinding[]> {
  const url = simpleIndexUrl(pipMirror)
  const probe = await probeUrl(host, url)
  const evidence = `GET ${url} from ${host.label}: ${describeProbe(probe)}`
  const address = urlHost(pipMirror)
  if (isLoopbackHost(address))
    return [
      {
        severity: 'blocker',
        cause: 'mirror-unreachable',
        title: `pip_mirror ${pipMirror} points at ${address}, a loopback address`,
        evidence: `${evidence}${probe.status === 200 ? ' (this host reaches it, OpenLambda sandboxes do not: there it is the sandbox itself)' : ''}`,
        fix: 'use an address of the mirror host that the worker host reaches: set the mirror to listen on it (mirror.serve.listen) or give this worker its pipMirror',
        action: { kind: 'apply-workers' },
      },
    ]
  if (probe.status === 200) return []
  if (probe.status === 403)
    return [
      {
        severity: 'blocker',
        cause: 'mirror-unreachable',
        title: 'The mirror refuses to serve its index (403 Forbidden)',
        evidence,
        fix: "nginx's user cannot read the mirror's files: run the permission doctor on the mirror host",
        action: { kind: 'permission-doctor', url },
      },
    ]
  if (probe.status === 404)
    return [
      {
        severity: 'blocker',
        cause: 'mirror-unreachable',
        title: `Nothing is served at ${url}: the pip_mirror URL or the served directory is wrong`,
        evidence,
        fix: "pip_mirror must be http://<address>:<port><location> of the mirror's nginx site, without /simple; nginx must serve the mirror's web/ directory there",
        action: { kind: 'apply-workers' },
      },
    ]
  if (probe.status === 0)
    return [
      {
        severity: 'blocker',
        cause: 'mirror-unreachable',
        title: `The worker host cannot reach the mirror at ${address}`,
        evidence,
        fix: `check that nginx listens on ${address} (mirror.serve.listen) and that no firewall or route stands between this host and it`,
        action: { kind: 'apply-workers' },
      },
    ]
  return [
    {
      severity: 'blocker',
      cause: 'mirror-unreachable',
      title: `The mirror answers ${describeProbe(probe)} for its index`,
      evidence,
      fix: "check nginx's error log on the mirror host",
    },
  ]
}
