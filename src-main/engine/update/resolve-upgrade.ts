import { EngineError } from '../errors'
import { scriptCommand } from '../remote/quote'
import type { RemoteHost } from '../ssh/remote-host'
import type { MirrorSite } from '#shared/site'
import { mirrorLayout } from '../steps/mirror-layout'
import { compileArgv } from '../steps/resolve-requirements'
import resolveUpgradeScript from './scripts/resolve-upgrade.sh?raw'

/** Stands for the temporary copy of requirements.txt in the resolver's argv. */
export const PREVIEW_PLACEHOLDER = '@pip-mirror-update-preview@'
/** Stands for the constraints file (the script's standard input) in the resolver's argv. */
export const CONSTRAINTS_PLACEHOLDER = '@pip-mirror-update-constraints@'

/**
 * The mirror's resolution again (uv pip compile, as the requirements step runs it), with the
 * upgrade flags, on a temporary copy of requirements.txt: its pins are the preferences uv keeps
 * unless a flag lets one move. Nothing of the mirror changes; the new file is printed.
 */
export function resolveUpgradeArgv(
  mirror: MirrorSite,
  flags: readonly string[],
  constrained: boolean,
): string[] {
  const layout = mirrorLayout(mirror)
  return scriptCommand(resolveUpgradeScript, [
    layout.requirementsTxt,
    PREVIEW_PLACEHOLDER,
    CONSTRAINTS_PLACEHOLDER,
    ...compileArgv(mirror, layout.requirementsIn, PREVIEW_PLACEHOLDER),
    ...flags,
    ...(constrained ? ['--constraint', CONSTRAINTS_PLACEHOLDER] : []),
  ])
}

/**
 * uv resolves for every platform at once (`--universal`): it would take a newer release that has
 * wheels only for platforms the site does not mirror. A cap per pinned project at the newest
 * release its targets can install keeps it from that.
 */
export function targetCaps(
  releases: readonly { name: string; newest: string | null; latest: string | null }[],
): string[] {
  const caps = new Map<string, string>()
  for (const r of releases)
    if (r.newest !== null && r.latest !== null && r.newest !== r.latest)
      caps.set(r.name, `${r.name}<=${r.newest}`)
  return [...caps.values()].sort()
}

/** The new requirements.txt the upgrade would give, resolved on the mirror host. */
export async function resolveUpgrade(
  host: RemoteHost,
  mirror: MirrorSite,
  flags: readonly string[],
  caps: readonly string[] = [],
): Promise<string> {
  const result = await host.read(resolveUpgradeArgv(mirror, flags, caps.length > 0), {
    quiet: true,
    stdin: caps.map((line) => `${line}\n`).join(''),
  })
  if (result.code !== 0) {
    const reason = result.stderr.trim().split('\n').filter(Boolean).slice(-8).join('\n')
    throw new EngineError(`Resolving the update failed:\n${reason}`, {
      host: host.label,
      hint: /No solution|unsatisfiable/i.test(reason)
        ? 'the releases asked for do not fit together: update fewer projects, or all of them'
        : `check that the host reaches ${mirror.upstream} (or set "proxy"), then plan again`,
    })
  }
  return result.stdout
}
