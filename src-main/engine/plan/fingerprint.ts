import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { HostFacts } from '../remote/facts'
import type { FileState, HostState, ProbeResult } from './host-state'
import { probeNamed } from './probe'

/** What a plan relied on, compared again before its first change (volatile figures left out). */
export const fingerprintSchema = z.object({
  facts: z.record(z.string(), z.string()),
  reads: z.record(z.string(), z.string()),
})
export type StateFingerprint = z.infer<typeof fingerprintSchema>

/** The facts a plan depends on; free disk space, which moves by itself, is not one of them. */
function stableFacts(facts: HostFacts): Record<string, string> {
  return {
    user: `${facts.user} (uid ${facts.uid})`,
    system: `${facts.os.id} ${facts.os.versionId}`,
    'package manager': facts.packageManager ?? 'none',
    init: facts.init,
    python: facts.python
      ? `${facts.python.path} ${facts.python.version}${facts.python.hasVenv ? ' with venv' : ' without venv'}`
      : 'none',
    nginx: facts.nginx.installed
      ? `${facts.nginx.running ? 'running' : 'installed, not running'} as ${facts.nginx.user}`
      : 'not installed',
    sudo: facts.sudo,
    addresses: [...facts.ipv4].sort().join(' '),
  }
}

const sha = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16)

function describeRead(key: string, value: FileState | string | null | ProbeResult): string {
  if (key.startsWith('file ')) {
    const file = value as FileState
    return file.status === 'present'
      ? `sha256 ${file.sha256.slice(0, 16)}, mode ${file.mode.toString(8)}, owner ${file.owner}`
      : file.status
  }
  if (key.startsWith('link ')) return value === null ? 'not a symlink' : `-> ${value as string}`
  const probe = value as ProbeResult
  const name = (JSON.parse(key.slice('probe '.length)) as string[])[0] ?? ''
  const stable = probeNamed(name)?.stable ?? ((output: string) => output)
  return `exit ${probe.code}, output ${sha(stable(probe.output))}`
}

export function fingerprintOf(state: HostState): StateFingerprint {
  return {
    facts: stableFacts(state.facts),
    reads: Object.fromEntries(
      state.entries().map(([key, value]) => [key, describeRead(key, value)]),
    ),
  }
}

/** Each difference, for a person: what changed, from what, to what. */
export function fingerprintChanges(before: StateFingerprint, after: StateFingerprint): string[] {
  const changes: string[] = []
  for (const [name, value] of Object.entries(before.facts))
    if (after.facts[name] !== value)
      changes.push(`${name}: was ${value}, now ${after.facts[name] ?? '(unknown)'}`)
  for (const [key, value] of Object.entries(before.reads))
    if (after.reads[key] !== value)
      changes.push(`${key}: was ${value}, now ${after.reads[key] ?? '(not read)'}`)
  return changes
}
