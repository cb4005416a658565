import {
  applyAction,
  planAction,
  type ActionPlan,
  type SiteAction,
} from '../../engine/actions/site-action'
import { pruneAction } from '../../engine/prune/prune-action'
import type { RunEvent } from '../../engine/run'
import type { Site } from '#shared/site'
import { loadSiteFile } from '../../engine/site-file'
import type { RemoteHost } from '../../engine/ssh/remote-host'
import { updateAction } from '../../engine/update/update-action'
import type { UpgradeChoice } from '#shared/upgrade-choice'
import { UsageError, type CliOptions } from '../args'
import { connectFromCli } from '../connect'
import { CliHistory, failedWith } from '../history'
import { humanRenderer, renderSummary, type Output } from '../render'
import { confirmOnTerminal } from './confirm'

function choiceOf(options: CliOptions): UpgradeChoice {
  if (options.securityOnly) return { kind: 'security' }
  if (options.projects.length > 0) return { kind: 'projects', projects: options.projects }
  return { kind: 'all' }
}

/** The action, made again with the digest of the plan shown: apply writes that or nothing. */
type ActionFor = (site: Site, expectDigest: string | null) => SiteAction

function digestOf(plan: ActionPlan): string | null {
  for (const step of plan.steps) {
    if (step.update) return step.update.digest
    if (step.prune) return step.prune.digest
  }
  return null
}

function nothingToDo(plan: ActionPlan): boolean {
  return plan.steps.every(
    (step) =>
      (!step.update || step.update.changes.length === 0) &&
      (!step.prune || step.prune.paths.length === 0),
  )
}

/** Plans, shows the plan, asks (unless --yes), applies exactly that plan, verifies. */
async function planThenApply(
  options: CliOptions,
  out: Output,
  actionFor: ActionFor,
  question: string,
): Promise<number> {
  const interactive = !!process.stdin.isTTY && out.isTTY
  if (!options.yes && !interactive)
    throw new UsageError(
      `${options.command} changes the host: pass --yes to apply without a terminal`,
    )
  const site = await loadSiteFile(options.site)
  const host: RemoteHost = await connectFromCli(options)(site.mirror.ssh)
  try {
    const emit = options.json
      ? (event: RunEvent): void => out.write(`${JSON.stringify(event)}\n`)
      : humanRenderer(out, { showOutput: true })
    const plan = await planAction(host, actionFor(site, null), { emit })
    if (options.json)
      out.write(`${JSON.stringify({ type: 'action-plan', ...plan, plan: undefined })}\n`)
    if (plan.error) return 1
    if (nothingToDo(plan)) {
      out.write(options.json ? '' : '\nNothing to change.\n')
      return 0
    }
    if (plan.deletes.length > 0 && !options.json)
      out.write(
        `\nThese ${plan.deletes.length} path(s) will be deleted:\n${plan.deletes.map((p) => `  ${p}`).join('\n')}\n`,
      )
    if (!options.yes && !(await confirmOnTerminal(question))) {
      out.write('Nothing was changed.\n')
      return 1
    }
    const recorded = new CliHistory(options, (text) => process.stderr.write(text)).run(
      host.label,
      emit,
    )
    // Exactly the plan shown (its host state checked first), nothing resolved again.
    const { summary } = await applyAction(host, actionFor(site, digestOf(plan)), {
      plan: plan.plan,
      emit: recorded.emit,
    }).catch(async (error: unknown) => {
      await recorded.finish(failedWith(error))
      throw error
    })
    await recorded.finish()
    out.write(
      options.json
        ? `${JSON.stringify({ type: 'summary', ...summary })}\n`
        : renderSummary(summary, out.isTTY),
    )
    return summary.status === 'failed' || summary.status === 'cancelled' ? 1 : 0
  } finally {
    host.close()
  }
}

/** `pip-mirror update [--security-only | --project NAME ...]`. */
export function update(options: CliOptions, out: Output): Promise<number> {
  const choice = choiceOf(options)
  return planThenApply(
    options,
    out,
    (site, expectDigest) =>
      updateAction(site, { choice, expectDigest, osvExport: options.osv ?? null }),
    'Pin these releases, sync and verify?',
  )
}

/** `pip-mirror prune`: deletes the files of releases an update replaced, listed first. */
export function prune(options: CliOptions, out: Output): Promise<number> {
  return planThenApply(
    options,
    out,
    (site, expectDigest) => pruneAction(site, expectDigest),
    'Delete exactly these paths?',
  )
}
