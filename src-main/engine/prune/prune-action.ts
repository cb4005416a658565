import { EngineError } from '../errors'
import { command } from '../plan/change'
import { fileRead } from '../plan/state-request'
import { formatBytes } from '#shared/format-bytes'
import { scriptCommand } from '../remote/quote'
import { existingPaths } from '../schedule/existing-files'
import type { Site } from '#shared/site'
import { planFile } from '../steps/managed-file'
import { mirrorLayout } from '../steps/mirror-layout'
import type { PlanContext, Step } from '../steps/step'
import { verifyMirrorStep } from '../steps/verify-mirror'
import { forcedSyncStep } from '../actions/sync-now'
import { noSyncRunningStep } from '../actions/update-bandersnatch'
import type { SiteAction } from '../actions/site-action'
import { retainedText } from '../update/retained-pins'
import { pruneTargets, type PruneTargets } from './prune-targets'
import deletePathsScript from './scripts/delete-paths.sh?raw'

/** What the prune's first step hands on: exactly what the prune deletes, as data. */
export interface PruneOutputs {
  prune: PruneTargets
}

/** The one command that deletes the planned paths (each checked again on the host). */
export function deleteArgv(web: string, paths: readonly string[]): string[] {
  return scriptCommand(deletePathsScript, [web, ...paths])
}

/**
 * Prune: the releases an update replaced stop being mirrored (retained.txt emptied), their
 * files and the pages of projects no pin names are deleted (exactly the planned list, never
 * through a symbolic link, only under web/), then a sync rewrites the index pages and the verify
 * proves every pin still installs. `expectDigest`: the digest of the targets the operator saw.
 */
export function pruneAction(site: Site, expectDigest: string | null = null): SiteAction {
  const layout = mirrorLayout(site.mirror)

  const stopServing: Step<PruneOutputs> = {
    id: 'prune-retained',
    title: 'Stop mirroring the releases no longer pinned',
    reads: () => [fileRead(layout.retainedTxt)],
    async plan(ctx) {
      const targets = await pruneTargets(ctx.host, ctx.site)
      if (expectDigest !== null && targets.digest !== expectDigest)
        throw new EngineError(
          'What a prune would delete is not what the plan you were shown listed: nothing was deleted',
          { host: ctx.host.label, hint: 'show the plan again, check it, then apply that one' },
        )
      const change =
        targets.pins.length > 0
          ? planFile(
              ctx.state,
              ctx.host.label,
              { path: layout.retainedTxt, content: retainedText([]), backup: false },
              'Stop mirroring them',
            )
          : null
      return {
        changes: change ? [change] : [],
        notes:
          targets.pins.length === 0
            ? ['Nothing to prune: every release the mirror serves is pinned']
            : [
                `Prunes ${targets.pins.join(', ')}: ${targets.files.length} file(s), ${formatBytes(targets.bytes)}`,
                ...targets.refused.map((r) => `leaves ${r.path}: ${r.reason}`),
              ],
        outputs: { prune: targets },
      }
    },
  }
  const planned = (ctx: { output: PlanContext['output'] }): PruneTargets => {
    const targets = ctx.output(stopServing)?.prune
    if (!targets) throw new EngineError('The prune was not planned in this run')
    return targets
  }

  const deleteFiles: Step = {
    id: 'prune-delete',
    title: 'Delete the pruned files',
    async plan(ctx) {
      const { paths, bytes, files, pages } = planned(ctx)
      return {
        changes:
          paths.length === 0
            ? []
            : [
                command(
                  `Delete ${files.length} file(s) (${formatBytes(bytes)})${pages.length ? ` and ${pages.length} page(s) of projects no pin names` : ''}; each must be a regular file under ${layout.web}, reached without a symbolic link`,
                  deleteArgv(layout.web, paths),
                  {
                    sudo: false,
                    failure: {
                      message: 'Some planned paths were not deleted',
                      hint: 'look at each path named (a symbolic link is never followed); fix it by hand, then prune again',
                    },
                  },
                ),
              ],
        notes: paths.map((path) => `deletes ${path}`),
      }
    },
    async verify(ctx) {
      const { paths, pins } = planned(ctx)
      const left = await existingPaths(ctx.host, paths)
      if (left.length > 0)
        throw new EngineError(`These paths are still there: ${left.join(', ')}`, {
          host: ctx.host.label,
          hint: 'delete them by hand (as the mirror owner)',
        })
      ctx.log(`Deleted ${paths.length} path(s) of ${pins.length} release(s)`)
    },
  }

  // The sync rewrites the index pages without the pruned releases; with nothing pruned, none.
  const syncAfterPrune: Step = {
    ...forcedSyncStep,
    async plan(ctx) {
      if (planned(ctx).pins.length === 0) return { changes: [], notes: [] }
      return forcedSyncStep.plan(ctx)
    },
  }

  return {
    id: 'prune',
    title: 'Prune releases no longer pinned',
    site,
    steps: [noSyncRunningStep, stopServing, deleteFiles, syncAfterPrune, verifyMirrorStep],
  }
}
