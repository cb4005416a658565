import { randomUUID } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import type { FleetEvent } from '../../engine/fleet'
import {
  applySitePlan,
  checkSitePlan,
  parseSitePlan,
  planChangeCount,
  planErrors,
  planSite,
  type SitePlan,
} from '../../engine/plan/site-plan'
import { StalePlanError } from '../../engine/plan/apply-host'
import { planSummary, type RunEvent } from '../../engine/run'
import { loadSiteFile } from '../../engine/site-file'
import { UsageError, type CliOptions } from '../args'
import { connectFromCli } from '../connect'
import { CliHistory, failedWith } from '../history'
import { confirmOnTerminal } from './confirm'
import { fleetRenderer } from './fleet-output'
import { writeTargetMatrix } from './matrix-output'
import { humanRenderer, renderPlanFile, renderSummary, type Output } from '../render'

/** Exit code of an apply refused because a host changed since its plan was made. */
export const EXIT_STALE_PLAN = 4

/**
 * `plan` shows every change and touches nothing (`--out` saves it); `apply` makes that same plan
 * (planned, shown and confirmed in one go, or loaded with `--plan`) and verifies the result.
 */
export async function planOrApply(options: CliOptions, out: Output): Promise<number> {
  const interactive = !!process.stdin.isTTY && out.isTTY
  if (options.command === 'apply' && !options.yes && !interactive)
    throw new UsageError(
      'apply changes hosts: pass --yes to apply without a terminal to confirm on',
    )
  const connect = connectFromCli(options)
  const history = new CliHistory(options, (text) => process.stderr.write(text))
  const json = (value: unknown): void => out.write(`${JSON.stringify(value)}\n`)
  /** Runs `work` with events printed and recorded in the history (one run per host). */
  const recorded = async <T>(
    mirrorLabel: string,
    showOutput: boolean,
    record: boolean,
    work: (emit: {
      mirror: (event: RunEvent) => void
      fleet: (event: FleetEvent) => void
    }) => Promise<T>,
  ): Promise<T> => {
    const print = {
      mirror: options.json ? (event: RunEvent) => json(event) : humanRenderer(out, { showOutput }),
      fleet: options.json ? (event: FleetEvent) => json(event) : fleetRenderer(out),
    }
    const none = { emit: () => undefined, finish: async () => undefined }
    const mirror = record ? history.run(mirrorLabel, print.mirror) : { ...none, emit: print.mirror }
    const fleet = record ? history.fleet(print.fleet) : { ...none, emit: print.fleet }
    let outcome: Parameters<typeof mirror.finish>[0] = {}
    try {
      return await work({ mirror: mirror.emit, fleet: fleet.emit })
    } catch (error) {
      outcome = failedWith(error)
      throw error
    } finally {
      await mirror.finish(outcome)
      await fleet.finish()
    }
  }

  let plan: SitePlan
  if (options.plan) {
    plan = parseSitePlan(await readFile(options.plan, 'utf8'), options.plan)
    if (!options.json) out.write(renderPlanFile(plan, out.isTTY))
  } else {
    const site = await loadSiteFile(options.site)
    const { user, host, port } = site.mirror.ssh
    // An apply records what it executes (its plan included); `plan` records the planning.
    plan = await recorded(`${user}@${host}:${port}`, false, options.command === 'plan', (emit) =>
      planSite(site, connect, { from: options.from, only: options.only }, emit),
    )
    if (options.out) {
      await writeFile(options.out, `${JSON.stringify(plan, null, 2)}\n`, { mode: 0o600 })
      if (!options.json)
        out.write(
          `\nThe plan is saved in ${options.out}: apply it with \`pip-mirror apply --plan ${options.out}\`.\n`,
        )
    }
  }
  const errors = planErrors(plan)
  const changes = planChangeCount(plan)
  if (plan.mirror && !options.plan) {
    const summary = planSummary(randomUUID(), plan.mirror)
    if (options.json) {
      if (options.command === 'plan') json({ type: 'summary', ...summary, plan: undefined })
    } else out.write(renderSummary(summary, out.isTTY))
  }
  if (options.json) json({ type: 'plan-summary', changes, errors })
  if (!options.json && errors.length > 0)
    out.write(`\nThe plan could not be completed:\n${errors.map((e) => `  ${e}`).join('\n')}\n`)
  if (options.command === 'plan') return errors.length > 0 ? 1 : 0
  if (plan.mirror?.error) return 1

  if (!options.yes) {
    if (changes === 0) out.write('The plan makes no changes; applying verifies the result.\n')
    else if (!(await confirmOnTerminal('Apply exactly these changes?'))) {
      out.write('Nothing was changed.\n')
      return 1
    }
  }
  try {
    await checkSitePlan(plan, connect)
  } catch (error) {
    if (!(error instanceof StalePlanError)) throw error
    process.stderr.write(`pip-mirror: ${error.describe()}\n`)
    if (options.json) json({ type: 'stale-plan', changes: error.changes })
    return EXIT_STALE_PLAN
  }
  const result = await recorded(plan.mirror?.host ?? 'the workers', true, true, (emit) =>
    applySitePlan(plan, connect, {}, emit),
  )
  if (result.mirror && options.json) writeTargetMatrix(result.mirror, out)
  if (result.mirror)
    out.write(
      options.json
        ? `${JSON.stringify({ type: 'summary', ...result.mirror, plan: undefined })}\n`
        : renderSummary(result.mirror, out.isTTY),
    )
  if (result.workers && options.json) json({ type: 'workers-summary', ...result.workers })
  const failed = (summary: { status: string } | null): boolean =>
    !!summary && (summary.status === 'failed' || summary.status === 'cancelled')
  return failed(result.mirror) || failed(result.workers) || errors.length > 0 ? 1 : 0
}
