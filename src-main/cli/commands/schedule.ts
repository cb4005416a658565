import { removeScheduleAction, setScheduleAction } from '../../engine/actions/schedule-actions'
import {
  applyAction,
  planAction,
  type ActionPlan,
  type SiteAction,
} from '../../engine/actions/site-action'
import type { RunEvent } from '../../engine/run'
import {
  parseDaily,
  parseEvery,
  readScheduleStatus,
  ScheduleError,
  type Schedule,
  type ScheduleStatus,
} from '../../engine/schedule'
import { loadSiteFile } from '../../engine/site-file'
import type { Site } from '#shared/site'
import { UsageError, type CliOptions } from '../args'
import { connectFromCli } from '../connect'
import { CliHistory, failedWith } from '../history'
import { printable } from '../../engine/printable'
import { humanRenderer, renderSummary, type Output } from '../render'
import { confirmOnTerminal } from './confirm'

type ScheduleRequest = { kind: 'set'; schedule: Schedule } | { kind: 'remove' } | { kind: 'show' }

function scheduleRequest(options: CliOptions): ScheduleRequest {
  const given = [
    options.every,
    options.daily,
    options.remove || undefined,
    options.show || undefined,
  ]
  if (given.filter((v) => v !== undefined).length !== 1)
    throw new UsageError('schedule takes exactly one of --every, --daily, --remove, --show')
  try {
    if (options.every !== undefined) return { kind: 'set', schedule: parseEvery(options.every) }
    if (options.daily !== undefined) return { kind: 'set', schedule: parseDaily(options.daily) }
  } catch (error) {
    if (error instanceof ScheduleError) throw new UsageError(error.message)
    throw error
  }
  return options.remove ? { kind: 'remove' } : { kind: 'show' }
}

function renderStatus(status: ScheduleStatus, host: string): string {
  const lines = [`Sync schedule on ${host}`]
  const { installed } = status
  if (!installed) lines.push('  schedule:  none')
  else {
    lines.push(
      `  schedule:  ${installed.description} (host time), as ${installed.user ?? '?'}, by ${installed.mechanism === 'cron' ? 'cron' : 'a systemd timer'}`,
      `  files:     ${installed.files.join(', ')}`,
    )
    if (!installed.firing)
      lines.push(
        `  warning:   ${installed.mechanism === 'cron' ? 'the cron daemon is not running' : 'the timer is not active'}: it will not fire`,
      )
    if (!installed.current)
      lines.push('  note:      the files differ from what this version writes: schedule again')
  }
  lines.push(
    status.lastRuns.length > 0 ? '  last syncs (newest first):' : '  last syncs: none recorded',
  )
  for (const run of status.lastRuns)
    lines.push(
      `    ${run.startedAt} → ${run.endedAt}  ${run.outcome}${run.exitCode !== null && run.outcome === 'failed' ? ` (exit ${run.exitCode})` : ''}  serial ${run.serial ?? '-'}  by ${run.trigger}`,
    )
  return `${printable(lines.join('\n'))}\n`
}

function actionFor(site: Site, request: Exclude<ScheduleRequest, { kind: 'show' }>): SiteAction {
  return request.kind === 'set'
    ? setScheduleAction(site, request.schedule)
    : removeScheduleAction(site)
}

/** `pip-mirror schedule`: shows the plan, asks (unless --yes), installs or removes, verifies. */
export async function schedule(options: CliOptions, out: Output): Promise<number> {
  const request = scheduleRequest(options)
  const interactive = !!process.stdin.isTTY && out.isTTY
  if (request.kind !== 'show' && !options.yes && !interactive)
    throw new UsageError('schedule changes the host: pass --yes to apply without a terminal')
  const site = await loadSiteFile(options.site)
  const host = await connectFromCli(options)(site.mirror.ssh)
  try {
    if (request.kind === 'show') {
      const status = await readScheduleStatus(host, site)
      out.write(options.json ? `${JSON.stringify(status)}\n` : renderStatus(status, host.label))
      return 0
    }
    const emit = options.json
      ? (event: RunEvent): void => out.write(`${JSON.stringify(event)}\n`)
      : humanRenderer(out, { showOutput: true })
    const action = actionFor(site, request)
    let shown: ActionPlan | undefined
    if (!options.yes) {
      const plan = await planAction(host, action, { emit })
      shown = plan
      if (plan.error) return 1
      if (plan.changeCount === 0) out.write('\nThe plan makes no changes; applying verifies it.\n')
      else if (!(await confirmOnTerminal('Apply these changes?'))) {
        out.write('Nothing was changed.\n')
        return 1
      }
    }
    const recorded = new CliHistory(options, (text) => process.stderr.write(text)).run(
      host.label,
      emit,
    )
    const { summary } = await applyAction(host, action, {
      emit: recorded.emit,
      ...(shown ? { plan: shown.plan } : {}),
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
