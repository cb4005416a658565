import { z } from 'zod'
import { probeNamed, type Probe } from './probe'

/** One thing a plan reads of a host: a file, a symlink, or the output of a read-only probe. */
export type ProbeRequest = { kind: 'probe'; probe: Probe; args: string[] }
export type StateRequest =
  { kind: 'file'; path: string } | { kind: 'link'; path: string } | ProbeRequest

export const fileRead = (path: string): StateRequest => ({ kind: 'file', path })
export const linkRead = (path: string): StateRequest => ({ kind: 'link', path })
export const probeRead = (probe: Probe, ...args: string[]): ProbeRequest => ({
  kind: 'probe',
  probe,
  args,
})

export function probeKey(probe: Pick<Probe, 'name'>, args: readonly string[]): string {
  return JSON.stringify([probe.name, ...args])
}

export function requestKey(request: StateRequest): string {
  return request.kind === 'probe'
    ? `probe ${probeKey(request.probe, request.args)}`
    : `${request.kind} ${request.path}`
}

/** The requests without repeats, in their first order. */
export function uniqueRequests(requests: readonly StateRequest[]): StateRequest[] {
  const seen = new Map<string, StateRequest>()
  for (const request of requests)
    if (!seen.has(requestKey(request))) seen.set(requestKey(request), request)
  return [...seen.values()]
}

/** As a saved plan keeps them: probes by name. */
export const savedRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), path: z.string() }),
  z.object({ kind: z.literal('link'), path: z.string() }),
  z.object({ kind: z.literal('probe'), name: z.string(), args: z.array(z.string()) }),
])
export type SavedRequest = z.infer<typeof savedRequestSchema>

export function saveRequest(request: StateRequest): SavedRequest {
  return request.kind === 'probe'
    ? { kind: 'probe', name: request.probe.name, args: request.args }
    : request
}

export function loadRequest(saved: SavedRequest): StateRequest {
  if (saved.kind !== 'probe') return saved
  const probe = probeNamed(saved.name)
  if (!probe)
    throw new Error(`the plan reads with a probe this version does not know: ${saved.name}`)
  return { kind: 'probe', probe, args: saved.args }
}
