import { renderBandersnatchConf } from '../config/bandersnatch-conf'
import { EngineError } from '../errors'
import { fileRead } from '../plan/state-request'
import type { MirrorSite } from '#shared/site'
import { planFile } from './managed-file'
import { mirrorLayout, VENV_PYTHON } from './mirror-layout'
import checkFilters from './scripts/check-bandersnatch-filters.py?raw'
import type { Step } from './step'

export function bandersnatchConfFor(mirror: MirrorSite): string {
  const layout = mirrorLayout(mirror)
  return renderBandersnatchConf({
    directory: layout.dir,
    upstream: mirror.upstream,
    allowNonHttps: mirror.allowNonHttps,
    proxy: mirror.proxy,
    workers: mirror.syncWorkers,
    requirementsDir: layout.requirementsDir,
    requirementsFileName: layout.requirementsFileName,
    // Pins an update replaced stay mirrored until a prune (src-main/engine/update, prune).
    retainedRequirementsGlob: layout.retainedGlob,
    platforms: mirror.platforms,
    pythonVersions: mirror.pythonVersions,
  })
}

export const bandersnatchConfigStep: Step = {
  id: 'config',
  title: 'Write bandersnatch.conf',
  reads: (site) => [fileRead(mirrorLayout(site.mirror).conf)],
  async plan(ctx) {
    const change = planFile(
      ctx.state,
      ctx.host.label,
      { path: mirrorLayout(ctx.site.mirror).conf, content: bandersnatchConfFor(ctx.site.mirror) },
      'Write bandersnatch.conf (mirrors only the pinned requirements)',
    )
    return { changes: change ? [change] : [], notes: [] }
  },
  async verify(ctx) {
    const layout = mirrorLayout(ctx.site.mirror)
    const result = await ctx.host.read([VENV_PYTHON, '-c', checkFilters, layout.conf], {
      quiet: true,
    })
    if (result.code !== 0)
      throw new EngineError(`${layout.conf} does not hold the requirements filter`, {
        host: ctx.host.label,
        hint: 'apply again from the config step',
      })
  },
}
