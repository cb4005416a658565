import { createHash } from 'node:crypto'
import { join } from 'node:path'
import type { SiteInput } from '#shared/site'
import { runPipMirror, type CliResult } from '../cli'
import type { BareBed } from './bed'
import { OPS_USER } from './bed'
import type { BareHost } from './host'

export interface BareRun extends CliResult {
  /** The run summary's lines, step id to what it says ("ok", "changed (3 changes)", "failed"). */
  summary: Map<string, string>
  /** Everything the command printed, for assertions on messages. */
  output: string
}

let sites = 0

/**
 * The real `pip-mirror` command against a bare host, as an operator runs it: the site in a file,
 * the host keys of the bed's hosts trusted on first contact (each by its fingerprint), the sudo
 * password from the environment. `apply` and `repair` get --yes.
 */
export async function pipMirrorOn(
  bed: BareBed,
  command: 'plan' | 'apply' | 'doctor' | 'repair' | 'status',
  site: SiteInput,
  options: { onOutput?: (stdout: string) => void; args?: string[] } = {},
): Promise<BareRun> {
  const path = await bed.siteFile(site, `site-${++sites}`)
  const keys = bed.hosts.map((host: BareHost) => host.hostKeyFingerprint)
  const trust = keys.flatMap((key) => ['--accept-host-key', key])
  // A host reset() has a new key at the same address: its trust starts again in a new file.
  const digest = createHash('sha256').update(keys.join()).digest('hex').slice(0, 8)
  const knownHosts = join(bed.work, `known_hosts-${digest}`)
  const result = await runPipMirror(
    [
      command,
      ...(command === 'apply' || command === 'repair' ? ['--yes'] : []),
      '--site',
      path,
      '--known-hosts',
      knownHosts,
      ...trust,
      '--no-history',
      ...(options.args ?? []),
    ],
    { PIP_MIRROR_SUDO_PASSWORD: OPS_USER.password },
    options.onOutput,
  )
  return {
    ...result,
    summary: summaryOf(result.stdout),
    output: `${result.stdout}\n${result.stderr}`,
  }
}

/** The step lines under the last "Done" / "Failed at" / "Nothing to change" heading. */
export function summaryOf(stdout: string): Map<string, string> {
  const lines = stdout.split('\n')
  const head = lines.findLastIndex((line) =>
    /^(Failed at |Done: |Nothing to change|\d+ change\(s\) would be made)/.test(line),
  )
  const summary = new Map<string, string>()
  if (head < 0) return summary
  for (const line of lines.slice(head + 1)) {
    const match = /^ {2}(\S+)\s{2,}(\S.*)$/.exec(line)
    if (!match) break
    summary.set(match[1] as string, match[2] as string)
  }
  return summary
}

/** The steps a failed run did not get to, as its summary must call them: `not run`. */
export function stepsAfter(summary: Map<string, string>, failed: string): string[] {
  const ids = [...summary.keys()]
  return ids.slice(ids.indexOf(failed) + 1)
}
