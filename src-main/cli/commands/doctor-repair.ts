import { applyRepair, diagnoseMirror, planRepair } from '../../engine/permissions'
import type { FleetEvent } from '../../engine/fleet'
import { doctorWorkers } from '../../engine/workers'
import { loadSiteFile } from '../../engine/site-file'
import { printable } from '../../engine/printable'
import { UsageError, type CliOptions } from '../args'
import { CliHistory, failedWith } from '../history'
import { connectFromCli } from '../connect'
import { renderChange, renderFinding, type Output } from '../render'
import { confirmOnTerminal } from './confirm'
import { fleetRenderer } from './fleet-output'

/** `doctor`: why the mirror does not serve (permissions, nginx), and what the workers lack. */
export async function doctor(options: CliOptions, out: Output): Promise<number> {
  const site = await loadSiteFile(options.site)
  const connect = connectFromCli(options)
  const host = await connect(site.mirror.ssh)
  let healthy: boolean
  try {
    const diagnosis = await diagnoseMirror(host, site)
    healthy = diagnosis.healthy
    if (options.json) out.write(`${JSON.stringify({ type: 'mirror-diagnosis', diagnosis })}\n`)
    else {
      out.write(
        printable(
          `Mirror ${diagnosis.baseUrl} on ${host.label} (nginx runs as ${diagnosis.nginx.user?.name ?? 'an unknown user'})\n`,
        ),
      )
      for (const probe of diagnosis.http)
        out.write(`  GET ${probe.url} -> ${probe.status || 'no answer'}\n`)
      for (const finding of diagnosis.findings) out.write(renderFinding(finding, out.isTTY))
      if (diagnosis.healthy) out.write('  The mirror serves: nothing blocks nginx.\n')
      else out.write('  Run `pip-mirror repair` to see and apply the least change that fixes it.\n')
    }
  } finally {
    host.close()
  }
  if (site.workers.length === 0 || options.only === 'mirror') return healthy ? 0 : 1
  const emit = options.json
    ? (e: FleetEvent) => out.write(`${JSON.stringify(e)}\n`)
    : fleetRenderer(out)
  const report = await doctorWorkers(site, connect, {}, emit)
  if (options.json) out.write(`${JSON.stringify({ type: 'workers-doctor', report })}\n`)
  else {
    for (const [worker, result] of Object.entries(report.workers)) {
      out.write(printable(`\nWorker ${worker}: pip_mirror ${result.pipMirror}\n`))
      for (const finding of result.findings) out.write(renderFinding(finding, out.isTTY))
      if (result.findings.length === 0)
        out.write('  nothing wrong: the dry install from the mirror works\n')
    }
    if (report.mirrorAdditions.length > 0)
      out.write(
        `\nThe mirror lacks what workers need: add ${report.mirrorAdditions.join(', ')} to the mirror's requirements and apply.\n`,
      )
  }
  const workerBlockers = Object.values(report.workers).some((w) =>
    w.findings.some((f) => f.severity === 'blocker'),
  )
  return healthy && report.summary.status !== 'failed' && !workerBlockers ? 0 : 1
}

/** `repair`: the least change that lets nginx read the mirror (or the seed's, with --seed). */
export async function repair(options: CliOptions, out: Output): Promise<number> {
  const interactive = !!process.stdin.isTTY && out.isTTY
  if (!options.yes && !interactive)
    throw new UsageError(
      'repair changes the host: pass --yes to repair without a terminal to confirm on',
    )
  const site = await loadSiteFile(options.site)
  const host = await connectFromCli(options)(site.mirror.ssh)
  const recorded = new CliHistory(options, (text) => process.stderr.write(text)).watch(host)
  let outcome: Parameters<typeof recorded.finish>[0] = { status: 'failed' }
  try {
    const mode = options.seed ? 'seed' : 'least'
    const plan = await planRepair(host, site, { mode })
    if (options.json)
      out.write(
        `${JSON.stringify({ type: 'repair-plan', plan: { ...plan, diagnosis: undefined } })}\n`,
      )
    else {
      out.write(
        `Repair (${mode === 'least' ? 'least change' : "the manual's chmod -R / chown -R"}) on ${host.label}\n`,
      )
      for (const note of plan.notes) out.write(`  ${note}\n`)
      for (const change of plan.changes) out.write(renderChange(change, out.isTTY))
      for (const finding of plan.unfixable) out.write(renderFinding(finding, out.isTTY))
    }
    if (plan.changes.length === 0) {
      const fine = plan.diagnosis.healthy
      out.write(
        options.json
          ? `${JSON.stringify({ type: 'repair-done', changed: false, healthy: fine })}\n`
          : fine
            ? 'Nothing to repair: nginx reads the mirror.\n'
            : 'Nothing this repair can change; see the findings above.\n',
      )
      outcome = { status: fine ? 'ok' : 'failed' }
      return fine ? 0 : 1
    }
    if (
      !options.yes &&
      !(await confirmOnTerminal(
        `Change ${plan.entries} entr${plan.entries === 1 ? 'y' : 'ies'} as shown?`,
      ))
    ) {
      out.write('Nothing was changed.\n')
      outcome = { status: 'cancelled' }
      return 1
    }
    const result = await applyRepair(host, site, { mode, plan })
    outcome = { status: 'changed' }
    if (options.json)
      out.write(
        `${JSON.stringify({ type: 'repair-done', changed: result.changed, http: result.http })}\n`,
      )
    else {
      for (const probe of result.http)
        out.write(`  GET ${probe.url} -> ${probe.status || 'no answer'}\n`)
      out.write('Repaired: nginx reads the mirror again.\n')
    }
    return 0
  } catch (error) {
    outcome = failedWith(error)
    throw error
  } finally {
    await recorded.finish(outcome)
    host.close()
  }
}
