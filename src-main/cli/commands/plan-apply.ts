import { runSteps, type RunEvent, type RunMode, type RunSummary } from '../../engine/run'
import type { FleetEvent, FleetSummary } from '../../engine/fleet'
import { applyWorkers, planWorkers } from '../../engine/workers'
import { loadSiteFile } from '../../engine/site-file'
import { MIRROR_STEPS } from '../../engine/steps/mirror-steps'
import { UsageError, type CliOptions } from '../args'
import { connectFromCli } from '../connect'
import { CliHistory, failedWith } from '../history'
import { confirmOnTerminal } from './confirm'
import { fleetRenderer } from './fleet-output'
import { writeTargetMatrix } from './matrix-output'
import { humanRenderer, renderSummary, type Output } from '../render'

/** `plan` shows every change and touches nothing; `apply` makes them and verifies the result. */
export async function planOrApply(options: CliOptions, out: Output): Promise<number> {
  const interactive = !!process.stdin.isTTY && out.isTTY
  if (options.command === 'apply' && !options.yes && !interactive)
    throw new UsageError(
      'apply changes hosts: pass --yes to apply without a terminal to confirm on',
    )
  const site = await loadSiteFile(options.site)
  const connect = connectFromCli(options)
  const withMirror = options.only !== 'workers'
  const withWorkers = options.only !== 'mirror' && site.workers.length > 0
  const emit = options.json
    ? (event: RunEvent): void => out.write(`${JSON.stringify(event)}\n`)
    : humanRenderer(out, { showOutput: options.command === 'apply' })
  const history = new CliHistory(options, (text) => process.stderr.write(text))
  const fleetEmit = options.json
    ? (event: FleetEvent): void => out.write(`${JSON.stringify(event)}\n`)
    : fleetRenderer(out)

  const mirror = async (mode: RunMode): Promise<RunSummary | null> => {
    if (!withMirror) return null
    const { user, host: address, port } = site.mirror.ssh
    const recorded = history.run(`${user}@${address}:${port}`, emit)
    let summary: RunSummary | null = null
    try {
      const host = await connect(site.mirror.ssh)
      try {
        const from = options.from ? { from: options.from } : {}
        const shared = new Map<string, unknown>()
        summary = await runSteps(MIRROR_STEPS, host, site, { mode, ...from, shared }, recorded.emit)
        if (options.json) writeTargetMatrix(shared, out)
      } finally {
        host.close()
      }
      out.write(
        options.json
          ? `${JSON.stringify({ type: 'summary', ...summary })}\n`
          : renderSummary(summary, out.isTTY),
      )
      return summary
    } catch (error) {
      await recorded.finish(failedWith(error))
      throw error
    } finally {
      if (summary) await recorded.finish()
    }
  }
  const workers = async (
    mode: RunMode,
    mirrorSummary: RunSummary | null,
  ): Promise<FleetSummary | null> => {
    if (!withWorkers) return null
    // Until the mirror serves, the workers' plan would only say that they cannot reach it.
    if (mode === 'plan' && mirrorSummary && mirrorSummary.steps.some((s) => s.changes > 0)) {
      out.write(
        options.json
          ? ''
          : `\nThe ${site.workers.length} worker(s) are planned once the mirror serves.\n`,
      )
      return null
    }
    const recorded = history.fleet(fleetEmit)
    const summary = await (mode === 'plan' ? planWorkers : applyWorkers)(
      site,
      connect,
      {},
      recorded.emit,
    ).finally(() => recorded.finish())
    if (options.json) out.write(`${JSON.stringify({ type: 'workers-summary', ...summary })}\n`)
    return summary
  }
  const failed = (summary: RunSummary | FleetSummary | null): boolean =>
    !!summary && (summary.status === 'failed' || summary.status === 'cancelled')

  if (options.command === 'apply' && !options.yes) {
    const plannedMirror = await mirror('plan')
    if (failed(plannedMirror)) return 1
    const plannedWorkers = await workers('plan', plannedMirror)
    const changes =
      (plannedMirror?.steps.reduce((n, s) => n + s.changes, 0) ?? 0) +
      (plannedWorkers?.hosts.reduce((n, h) => n + h.changes, 0) ?? 0)
    if (changes === 0) out.write('\nThe plan makes no changes; applying verifies the result.\n')
    else if (!(await confirmOnTerminal('Apply these changes?'))) {
      out.write('Nothing was changed.\n')
      return 1
    }
  }
  const mode: RunMode = options.command === 'plan' ? 'plan' : 'apply'
  const mirrorSummary = await mirror(mode)
  // Workers pointed at a mirror that failed would only fail too.
  if (failed(mirrorSummary)) return 1
  return failed(await workers(mode, mirrorSummary)) ? 1 : 0
}
