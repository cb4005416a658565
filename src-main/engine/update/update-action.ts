import { readMirrorPins } from '../audit/mirror-pins'
import { unifiedDiff } from '../config/diff'
import { EngineError } from '../errors'
import type { Site } from '../site'
import { readRemoteFile, writeRemoteFileAtomic } from '../ssh/files'
import { bandersnatchConfigStep } from '../steps/bandersnatch-config'
import { mirrorLayout } from '../steps/mirror-layout'
import { nginxStep } from '../steps/nginx'
import { resolutionStamp } from '../steps/resolve-requirements'
import type { Change, Step, StepPlan } from '../steps/step'
import { syncStep } from '../steps/sync'
import { verifyMirrorStep } from '../steps/verify-mirror'
import { noSyncRunningStep } from '../actions/update-bandersnatch'
import type { SiteAction } from '../actions/site-action'
import {
  describePlannedChange,
  planUpdate,
  type UpdateOptions,
  type UpdatePlan,
} from './update-plan'
import type { UpgradeChoice } from './upgrade-choice'

/** The update step's plan: the usual changes and notes, and the update itself as data. */
export interface UpdatePinsPlan extends StepPlan {
  update: UpdatePlan
}

export function isUpdatePinsPlan(plan: StepPlan): plan is UpdatePinsPlan {
  return 'update' in plan
}

function fileChange(path: string, before: string | null, after: string, summary: string): Change[] {
  const diff = unifiedDiff(before, after, { path })
  return diff ? [{ kind: 'file', summary, path, diff }] : []
}

/**
 * Writes the new pins (and the retained ones) exactly as planned. `expectDigest`, when given,
 * is the digest of the plan the operator was shown: a resolution that came out otherwise since
 * (a new upstream release) is refused rather than applied unseen.
 */
export function updatePinsStep(
  choice: UpgradeChoice,
  options: UpdateOptions,
  expectDigest: string | null,
): Step<UpdatePinsPlan> {
  return {
    id: 'update-pins',
    title: 'Resolve again with the upgrades and pin the result',
    async check(ctx) {
      const plan = await planUpdate(ctx.host, ctx.site, choice, options)
      return {
        done: plan.changes.length === 0,
        summary: `${plan.changes.length} pin(s) would change`,
      }
    },
    async plan(ctx) {
      const update = await planUpdate(ctx.host, ctx.site, choice, options)
      const layout = mirrorLayout(ctx.site.mirror)
      const changes =
        update.changes.length === 0
          ? []
          : [
              ...fileChange(
                layout.requirementsTxt,
                update.previous.requirementsTxt,
                update.requirementsTxt,
                'Pin the new resolution',
              ),
              ...fileChange(
                layout.retainedTxt,
                update.previous.retainedTxt || null,
                update.retainedTxt,
                'Keep serving the releases no longer pinned, until a prune',
              ),
            ]
      return {
        changes,
        notes: [
          ...update.notes,
          ...update.changes.map(describePlannedChange),
          ...(update.changes.length ? [`${update.unchanged} project(s) keep their pins`] : []),
        ],
        update,
      }
    },
    async apply(ctx, plan) {
      const { update } = plan
      const layout = mirrorLayout(ctx.site.mirror)
      if (expectDigest !== null && update.digest !== expectDigest)
        throw new EngineError(
          'The update resolves differently now than in the plan you were shown (the upstream changed since): nothing was changed',
          { host: ctx.host.label, hint: 'show the plan again, check it, then apply that one' },
        )
      const pins = await readMirrorPins(ctx.host, ctx.site.mirror)
      if (
        pins.pinnedText !== update.previous.requirementsTxt ||
        pins.retainedText !== update.previous.retainedTxt
      )
        throw new EngineError(
          `${layout.requirementsTxt} changed on the host since the plan: nothing was changed`,
          { host: ctx.host.label, hint: 'plan the update again' },
        )
      const inText = (await readRemoteFile(ctx.host, layout.requirementsIn))?.toString('utf8')
      if (inText === undefined)
        throw new EngineError(`${layout.requirementsIn} is missing`, {
          host: ctx.host.label,
          hint: 'apply the site first',
        })
      if (update.retainedTxt)
        await writeRemoteFileAtomic(ctx.host, layout.retainedTxt, update.retainedTxt, {
          backup: false,
          mode: 0o644,
        })
      await writeRemoteFileAtomic(ctx.host, layout.requirementsTxt, update.requirementsTxt)
      // The requirements step then sees this resolution as current and keeps it.
      await writeRemoteFileAtomic(
        ctx.host,
        layout.resolvedStamp,
        `${resolutionStamp(ctx.site.mirror, inText)}\n`,
        { backup: false },
      )
    },
    async verify() {},
  }
}

export interface UpdateRequest extends UpdateOptions {
  choice: UpgradeChoice
  /** The digest of the plan shown (UpdatePlan.digest); null to apply whatever resolves now. */
  expectDigest?: string | null
}

/**
 * Update the mirror's pins: resolve again with the chosen upgrades, pin the result (the pins it
 * replaces stay served until a prune), then the sync and the verify as usual.
 */
export function updateAction(site: Site, request: UpdateRequest): SiteAction {
  const { choice, expectDigest = null, ...options } = request
  return {
    id: 'update',
    title: 'Update pins',
    site,
    steps: [
      noSyncRunningStep,
      updatePinsStep(choice, options, expectDigest),
      bandersnatchConfigStep,
      syncStep,
      nginxStep,
      verifyMirrorStep,
    ],
  }
}
