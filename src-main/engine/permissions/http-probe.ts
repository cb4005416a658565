import type { MirrorSite } from '#shared/site'
import { httpGetFromHost } from '../remote/http-get'
import type { RemoteHost } from '../ssh/remote-host'

export interface ProbeTarget {
  url: string
  /** What the URL stands for, such as "the simple index" or "a file nginx cannot read". */
  what: string
}

export interface HttpProbe extends ProbeTarget {
  /** The HTTP status; 0 when nothing answered. */
  status: number
}

/**
 * The mirror's URL as seen from the mirror host itself, so that a loopback or private listen
 * address works: http://<listen><location>, with 0.0.0.0 asked on 127.0.0.1.
 */
export function localMirrorUrl(mirror: MirrorSite): string {
  const [address, port] = mirror.serve.listen.split(':') as [string, string]
  const host = address === '0.0.0.0' ? '127.0.0.1' : address
  const location = mirror.serve.location.endsWith('/')
    ? mirror.serve.location
    : `${mirror.serve.location}/`
  return `http://${host}:${port}${location}`
}

/** The URL of a path relative to the served directory; directories end in `/`. */
export function urlOf(base: string, relativePath: string, isDirectory: boolean): string {
  const encoded = relativePath.split('/').filter(Boolean).map(encodeURIComponent).join('/')
  return `${base}${encoded}${isDirectory && encoded ? '/' : ''}`
}

/** GETs each URL from the host itself; the status is nginx's own answer (no redirects, no proxy). */
export async function probeHttp(
  host: RemoteHost,
  targets: readonly ProbeTarget[],
): Promise<HttpProbe[]> {
  const unique = [...new Map(targets.map((target) => [target.url, target])).values()]
  const answers = await httpGetFromHost(
    host,
    unique.map((target) => target.url),
    { bodyLimit: 0, timeoutSeconds: 10 },
  )
  return unique.map((target, i) => ({ ...target, status: answers[i]?.status ?? 0 }))
}

/**
 * Probes until every URL answers 200 or the time is up: a reload hands requests to new
 * workers over a moment, so the first answer after one can still be the old configuration's.
 */
export async function waitForHttpOk(
  host: RemoteHost,
  targets: readonly ProbeTarget[],
  timeoutMs = 5000,
): Promise<HttpProbe[]> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const probes = await probeHttp(host, targets)
    if (probes.every((probe) => probe.status === 200) || Date.now() > deadline) return probes
    await new Promise((resolve) => setTimeout(resolve, 300))
  }
}
