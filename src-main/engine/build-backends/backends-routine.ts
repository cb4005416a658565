import { EngineError } from '../errors'
import { defineRoutine, derive } from '../plan/routine'
import type { DeriveChange } from '../plan/change'
import { readRemoteFile, writeRemoteFileAtomic } from '../ssh/files'
import { mirrorSchema, type MirrorSite } from '#shared/site'
import { mirrorLayout } from '../steps/mirror-layout'
import { buildSystemsPath } from '../verify/build-systems-file'
import { resolveBuildBackends } from './resolve-build-backends'

/**
 * On a host where the plan installs the resolver, the closure is only known once the planned
 * compile ran: this routine then reads requirements.txt as the resolver wrote it, resolves the
 * build backends of its sdist-only pins (reads only), and writes requirements.txt with their
 * section and build-systems.json. Its inputs: the mirror's description, as the plan saved it.
 */
export const buildBackendsRoutine = defineRoutine({
  name: 'build-backends',
  async run(host, args, ctx) {
    const mirror = mirrorSchema.parse(JSON.parse(args[0] ?? 'null'))
    const layout = mirrorLayout(mirror)
    const resolved = await readRemoteFile(host, layout.requirementsTxt)
    if (resolved === null)
      throw new EngineError(`${layout.requirementsTxt} is missing after the resolution`, {
        host: host.label,
        hint: 'read the resolver output above, then apply again',
      })
    const backends = await resolveBuildBackends(host, mirror, resolved.toString('utf8'), ctx.log)
    await writeRemoteFileAtomic(host, buildSystemsPath(layout), backends.buildSystemsJson, {
      backup: false,
    })
    await writeRemoteFileAtomic(host, layout.requirementsTxt, backends.requirementsTxt, {
      backup: false,
    })
  },
})

/** The planned change: after the compile, the build backends added by that routine. */
export function buildBackendsChange(mirror: MirrorSite): DeriveChange {
  const layout = mirrorLayout(mirror)
  return derive(
    'Pin the build backends of sdist-only pins (their closure is known once the resolver ran)',
    buildBackendsRoutine,
    [JSON.stringify(mirror)],
    [layout.requirementsTxt, buildSystemsPath(layout)],
    `${layout.requirementsTxt} as resolved, the upstream's release files and each sdist's pyproject.toml build-system`,
  )
}
