import { createInterface } from 'node:readline/promises'
import { runSteps, type RunEvent, type RunSummary } from '../../engine/run'
import { loadSiteFile } from '../../engine/site-file'
import { MIRROR_STEPS } from '../../engine/steps/mirror-steps'
import { UsageError, type CliOptions } from '../args'
import { connectFromCli } from '../connect'
import { humanRenderer, renderSummary, type Output } from '../render'

async function confirmApply(): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr })
  try {
    return /^y(es)?$/i.test((await prompt.question('\nApply these changes? [y/N] ')).trim())
  } finally {
    prompt.close()
  }
}

/** `plan` shows every change and touches nothing; `apply` makes them and verifies the result. */
export async function planOrApply(options: CliOptions, out: Output): Promise<number> {
  const interactive = !!process.stdin.isTTY && out.isTTY
  if (options.command === 'apply' && !options.yes && !interactive)
    throw new UsageError(
      'apply changes hosts: pass --yes to apply without a terminal to confirm on',
    )
  const site = await loadSiteFile(options.site)
  const host = await connectFromCli(options)(site.mirror.ssh)
  const emit = options.json
    ? (event: RunEvent): void => out.write(`${JSON.stringify(event)}\n`)
    : humanRenderer(out, { showOutput: options.command === 'apply' })
  const run = (mode: 'plan' | 'apply', shared = new Map<string, unknown>()): Promise<RunSummary> =>
    runSteps(
      MIRROR_STEPS,
      host,
      site,
      { mode, ...(options.from ? { from: options.from } : {}), shared },
      emit,
    )
  const finish = (summary: RunSummary): number => {
    out.write(
      options.json
        ? `${JSON.stringify({ type: 'summary', ...summary })}\n`
        : renderSummary(summary, out.isTTY),
    )
    return summary.status === 'failed' || summary.status === 'cancelled' ? 1 : 0
  }
  try {
    if (options.command === 'plan') return finish(await run('plan'))
    if (!options.yes) {
      const planned = await run('plan')
      if (planned.status === 'failed') return finish(planned)
      if (planned.steps.every((s) => s.changes === 0))
        out.write('\nThe plan makes no changes; applying verifies the result.\n')
      else if (!(await confirmApply())) {
        out.write('Nothing was changed.\n')
        return 1
      }
    }
    return finish(await run('apply'))
  } finally {
    host.close()
  }
}
