import { readMirrorPins } from '../audit/mirror-pins'
import { unifiedDiff } from '../config/diff'
import { EngineError } from '../errors'
import { formatBytes } from '../format-bytes'
import { scriptCommand } from '../remote/quote'
import { existingPaths } from '../schedule/existing-files'
import type { Site } from '../site'
import { writeRemoteFileAtomic } from '../ssh/files'
import { mirrorLayout } from '../steps/mirror-layout'
import type { Step, StepContext, StepPlan } from '../steps/step'
import { verifyMirrorStep } from '../steps/verify-mirror'
import { forcedSyncStep } from '../actions/sync-now'
import { noSyncRunningStep } from '../actions/update-bandersnatch'
import type { SiteAction } from '../actions/site-action'
import { retainedText } from '../update/retained-pins'
import { pruneTargets, type PruneTargets } from './prune-targets'
import deletePathsScript from './scripts/delete-paths.sh?raw'

export interface PrunePlan extends StepPlan {
  prune: PruneTargets
}

export function isPrunePlan(plan: StepPlan): plan is PrunePlan {
  return 'prune' in plan
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
  // Read once per run by the first step's plan; the delete step deletes that list, no other.
  let targets: PruneTargets | null = null
  const planned = (): PruneTargets => {
    if (!targets) throw new EngineError('The prune was not planned in this run')
    return targets
  }
  const layout = mirrorLayout(site.mirror)

  const stopServing: Step<PrunePlan> = {
    id: 'prune-retained',
    title: 'Stop mirroring the releases no longer pinned',
    async check(ctx) {
      const found = await pruneTargets(ctx.host, ctx.site)
      return { done: found.pins.length === 0, summary: `${found.pins.length} release(s) to prune` }
    },
    async plan(ctx) {
      targets = await pruneTargets(ctx.host, ctx.site)
      const after = targets.pins.length > 0 ? retainedText([]) : targets.retainedText
      const diff = unifiedDiff(targets.retainedText || null, after, { path: layout.retainedTxt })
      return {
        changes:
          targets.pins.length > 0 && diff
            ? [{ kind: 'file', summary: 'Stop mirroring them', path: layout.retainedTxt, diff }]
            : [],
        notes:
          targets.pins.length === 0
            ? ['Nothing to prune: every release the mirror serves is pinned']
            : [
                `Prunes ${targets.pins.join(', ')}: ${targets.files.length} file(s), ${formatBytes(targets.bytes)}`,
                ...targets.refused.map((r) => `leaves ${r.path}: ${r.reason}`),
              ],
        prune: targets,
      }
    },
    async apply(ctx, plan) {
      if (expectDigest !== null && plan.prune.digest !== expectDigest)
        throw new EngineError(
          'What a prune would delete is not what the plan you were shown listed: nothing was deleted',
          { host: ctx.host.label, hint: 'show the plan again, check it, then apply that one' },
        )
      const pins = await readMirrorPins(ctx.host, ctx.site.mirror)
      if (pins.retainedText !== plan.prune.retainedText)
        throw new EngineError(`${layout.retainedTxt} changed since the plan: nothing was deleted`, {
          host: ctx.host.label,
          hint: 'plan the prune again',
        })
      await writeRemoteFileAtomic(ctx.host, layout.retainedTxt, retainedText([]), {
        backup: false,
      })
    },
    async verify() {},
  }

  const deleteFiles: Step = {
    id: 'prune-delete',
    title: 'Delete the pruned files',
    async check() {
      return { done: planned().paths.length === 0, summary: `${planned().paths.length} paths` }
    },
    async plan() {
      const { paths, bytes, files, pages } = planned()
      return {
        changes:
          paths.length === 0
            ? []
            : [
                {
                  kind: 'command',
                  summary: `Delete ${files.length} file(s) (${formatBytes(bytes)})${pages.length ? ` and ${pages.length} page(s) of projects no pin names` : ''}; each must be a regular file under ${layout.web}, reached without a symbolic link`,
                  argv: deleteArgv(layout.web, paths),
                  sudo: false,
                },
              ],
        notes: paths.map((path) => `deletes ${path}`),
      }
    },
    async apply(ctx: StepContext) {
      const { paths } = planned()
      const result = await ctx.host.exec(deleteArgv(layout.web, paths))
      const refused = result.stdout.split('\n').filter((line) => line.startsWith('refused '))
      if (result.code !== 0 || refused.length > 0)
        throw new EngineError(
          `Some planned paths were not deleted:\n${refused.join('\n') || result.stderr.trim()}`,
          {
            host: ctx.host.label,
            hint: 'look at each path named (a symbolic link is never followed); fix it by hand, then prune again',
          },
        )
    },
    async verify(ctx) {
      const left = await existingPaths(ctx.host, planned().paths)
      if (left.length > 0)
        throw new EngineError(`These paths are still there: ${left.join(', ')}`, {
          host: ctx.host.label,
          hint: 'delete them by hand (as the mirror owner)',
        })
      ctx.log(`Deleted ${planned().paths.length} path(s) of ${planned().pins.length} release(s)`)
    },
  }

  // The sync rewrites the index pages without the pruned releases; with nothing pruned, none.
  const syncAfterPrune: Step = {
    ...forcedSyncStep,
    async plan(ctx) {
      if (planned().pins.length === 0) return { changes: [], notes: [] }
      return forcedSyncStep.plan(ctx)
    },
  }

  return {
    id: 'prune',
    title: 'Prune releases no longer pinned',
    site,
    steps: [noSyncRunningStep, stopServing, deleteFiles, syncAfterPrune, verifyMirrorStep],
    deletes: async () => targets?.paths ?? [],
  }
}
