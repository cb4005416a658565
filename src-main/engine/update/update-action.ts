import { EngineError } from '../errors'
import type { FileChange } from '../plan/change'
import { fileRead } from '../plan/state-request'
import type { Site } from '#shared/site'
import { bandersnatchConfigStep } from '../steps/bandersnatch-config'
import { planFile } from '../steps/managed-file'
import { mirrorLayout } from '../steps/mirror-layout'
import { nginxStep } from '../steps/nginx'
import { resolutionStamp } from '../steps/resolve-requirements'
import type { Step } from '../steps/step'
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
import type { UpgradeChoice } from '#shared/upgrade-choice'
import { buildSystemsPath } from '../verify/build-systems-file'

/** What the update step hands on: the update itself as data (its pin diff and advisories). */
export interface UpdatePinsOutputs {
  update: UpdatePlan
}

/**
 * Writes the new pins (and the retained ones) exactly as planned; the files it replaces are part
 * of the state the plan was made from, so a pin file changed since is refused. `expectDigest`,
 * when given, is the digest of the update the operator was shown: a resolution that comes out
 * otherwise now (a new upstream release) is refused when planning.
 */
export function updatePinsStep(
  choice: UpgradeChoice,
  options: UpdateOptions,
  expectDigest: string | null,
): Step<UpdatePinsOutputs> {
  return {
    id: 'update-pins',
    title: 'Resolve again with the upgrades and pin the result',
    reads(site) {
      const layout = mirrorLayout(site.mirror)
      return [
        fileRead(layout.requirementsIn),
        fileRead(layout.requirementsTxt),
        fileRead(layout.retainedTxt),
        fileRead(buildSystemsPath(layout)),
        fileRead(layout.resolvedStamp),
      ]
    },
    async plan(ctx) {
      const update = await planUpdate(ctx.host, ctx.site, choice, options)
      if (expectDigest !== null && update.digest !== expectDigest)
        throw new EngineError(
          'The update resolves differently now than in the plan you were shown (the upstream changed since): nothing was changed',
          { host: ctx.host.label, hint: 'show the plan again, check it, then apply that one' },
        )
      const layout = mirrorLayout(ctx.site.mirror)
      const inText = ctx.state.text(layout.requirementsIn, ctx.host.label)
      if (inText === null)
        throw new EngineError(`${layout.requirementsIn} is missing`, {
          host: ctx.host.label,
          hint: 'apply the site first',
        })
      const files =
        update.changes.length === 0
          ? []
          : [
              planFile(
                ctx.state,
                ctx.host.label,
                { path: layout.requirementsTxt, content: update.requirementsTxt },
                'Pin the new resolution',
              ),
              update.buildSystemsJson === null
                ? null
                : planFile(
                    ctx.state,
                    ctx.host.label,
                    {
                      path: buildSystemsPath(layout),
                      content: update.buildSystemsJson,
                      backup: false,
                    },
                    'Record the build-system of each sdist the new pins build (for the proof)',
                  ),
              update.retainedTxt
                ? planFile(
                    ctx.state,
                    ctx.host.label,
                    { path: layout.retainedTxt, content: update.retainedTxt, backup: false },
                    'Keep serving the releases no longer pinned, until a prune',
                  )
                : null,
              // The requirements step then sees this resolution as current and keeps it.
              planFile(
                ctx.state,
                ctx.host.label,
                {
                  path: layout.resolvedStamp,
                  content: `${resolutionStamp(ctx.site.mirror, inText)}\n`,
                  backup: false,
                },
                'Record what the resolution was made from',
              ),
            ]
      return {
        changes: files.filter((change): change is FileChange => change !== null),
        notes: [
          ...update.notes,
          ...update.changes.map(describePlannedChange),
          ...(update.changes.length ? [`${update.unchanged} project(s) keep their pins`] : []),
        ],
        outputs: { update },
      }
    },
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
