import { posix } from 'node:path'
import { EngineError } from '../errors'
import { readRemoteFile } from '../ssh/files'
import type { RemoteHost } from '../ssh/remote-host'
import type { MirrorLayout } from '../steps/mirror-layout'
import { buildSystemsSchema, type BuildSystems } from './build-systems'

/** Next to requirements.txt: what each sdist of the closure needs to build. */
export function buildSystemsPath(layout: MirrorLayout): string {
  return posix.join(layout.requirementsDir, 'build-systems.json')
}

/** The recorded build systems; null when the resolution has not recorded any yet. */
export async function readBuildSystems(
  host: RemoteHost,
  path: string,
): Promise<BuildSystems | null> {
  const raw = await readRemoteFile(host, path)
  if (raw === null) return null
  try {
    return buildSystemsSchema.parse(JSON.parse(raw.toString('utf8')))
  } catch (error) {
    throw new EngineError(
      `${path} is not what Pip Mirror Wizard wrote: ${(error as Error).message}`,
      {
        host: host.label,
        hint: 'apply again from the requirements step: it writes the file anew',
      },
    )
  }
}

export function renderBuildSystems(systems: BuildSystems): string {
  return `${JSON.stringify(systems, null, 2)}\n`
}
