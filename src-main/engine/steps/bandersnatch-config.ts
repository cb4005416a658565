import { renderBandersnatchConf } from '../config/bandersnatch-conf'
import { EngineError } from '../errors'
import type { MirrorSite } from '../site'
import { mirrorLayout, VENV_PYTHON } from './mirror-layout'
import { planManagedFile, writeManagedFile } from './managed-file'
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

/** Reads the written file back the way bandersnatch does (configparser) and checks the filter. */
const CHECK_FILTERS = `
import configparser, sys
c = configparser.ConfigParser()
c.read(sys.argv[1])
plugins = c.get("plugins", "enabled").split()
assert "project_requirements_pinned" in plugins and "project_requirements" in plugins, plugins
print(c.get("allowlist", "requirements_path"), c.get("allowlist", "requirements").strip())
`

export const bandersnatchConfigStep: Step = {
  id: 'config',
  title: 'Write bandersnatch.conf',
  async check(ctx) {
    const change = await planManagedFile(
      ctx.host,
      { path: mirrorLayout(ctx.site.mirror).conf, content: bandersnatchConfFor(ctx.site.mirror) },
      '',
    )
    return {
      done: change === null,
      summary: change ? 'bandersnatch.conf differs' : 'bandersnatch.conf is current',
    }
  },
  async plan(ctx) {
    const layout = mirrorLayout(ctx.site.mirror)
    const change = await planManagedFile(
      ctx.host,
      { path: layout.conf, content: bandersnatchConfFor(ctx.site.mirror) },
      'Write bandersnatch.conf (mirrors only the pinned requirements)',
    )
    return { changes: change ? [change] : [], notes: [] }
  },
  async apply(ctx) {
    await writeManagedFile(ctx.host, {
      path: mirrorLayout(ctx.site.mirror).conf,
      content: bandersnatchConfFor(ctx.site.mirror),
      mode: 0o644,
    })
  },
  async verify(ctx) {
    const layout = mirrorLayout(ctx.site.mirror)
    const result = await ctx.host.exec([VENV_PYTHON, '-c', CHECK_FILTERS, layout.conf], {
      quiet: true,
    })
    if (result.code !== 0)
      throw new EngineError(`${layout.conf} does not hold the requirements filter`, {
        host: ctx.host.label,
        hint: 'apply again from the config step',
      })
  },
}
