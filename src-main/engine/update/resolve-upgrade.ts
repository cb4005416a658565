import { EngineError } from '../errors'
import { scriptCommand } from '../remote/quote'
import type { RemoteHost } from '../ssh/remote-host'
import type { MirrorSite } from '../site'
import { mirrorLayout } from '../steps/mirror-layout'
import { compileArgv } from '../steps/resolve-requirements'
import resolveUpgradeScript from './scripts/resolve-upgrade.sh?raw'

/** Stands for the temporary copy of requirements.txt in the resolver's argv. */
export const PREVIEW_PLACEHOLDER = '@pip-mirror-update-preview@'

/**
 * The mirror's resolution again (uv pip compile, as the requirements step runs it), with the
 * upgrade flags, on a temporary copy of requirements.txt: its pins are the preferences uv keeps
 * unless a flag lets one move. Nothing of the mirror changes; the new file is printed.
 */
export function resolveUpgradeArgv(mirror: MirrorSite, flags: readonly string[]): string[] {
  const layout = mirrorLayout(mirror)
  return scriptCommand(resolveUpgradeScript, [
    layout.requirementsTxt,
    PREVIEW_PLACEHOLDER,
    ...compileArgv(mirror, layout.requirementsIn, PREVIEW_PLACEHOLDER),
    ...flags,
  ])
}

/** The new requirements.txt the upgrade would give, resolved on the mirror host. */
export async function resolveUpgrade(
  host: RemoteHost,
  mirror: MirrorSite,
  flags: readonly string[],
): Promise<string> {
  const result = await host.exec(resolveUpgradeArgv(mirror, flags), { quiet: true })
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
