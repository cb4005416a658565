import type { RunEvent, RunSummary } from '../engine/run'
import type { RollbackChange } from '../engine/plan/change'
import type { HostPlan } from '../engine/plan/host-plan'
import type { SitePlan } from '../engine/plan/site-plan'
import type { Change, Finding } from '../engine/steps/step'
import { commandLine } from '../engine/remote/quote'
import { printableDeep } from '../engine/printable'

export interface Output {
  write(text: string): void
  isTTY: boolean
}

const color = (tty: boolean, code: string, text: string): string =>
  tty ? `\x1b[${code}m${text}\x1b[0m` : text

/** A planned change; what came from the host (file contents, paths) is shown printable only. */
export function renderChange(shown: Change | RollbackChange, tty: boolean): string {
  const change = printableDeep(shown)
  if (change.kind === 'wait')
    return `  • ${change.summary}
`
  if (change.kind === 'derive')
    return `  • ${change.summary}
      ${color(tty, '2', `pip-mirror's ${change.routine} reads ${change.reads}, then writes only ${change.writes.join(', ')}`)}
`
  if (change.kind === 'command') {
    const undo = 'onFailure' in change ? (change.onFailure ?? []) : []
    return `  • ${change.summary}
      ${color(tty, '2', `${change.sudo ? '(as root) ' : ''}$ ${commandLine(change.argv)}`)}
${undo.map((step) => `      if it fails, first: ${renderChange(step, tty).trimStart()}`).join('')}`
  }
  const diff = change.diff
    .trimEnd()
    .split('\n')
    .map(
      (line) =>
        `      ${line.startsWith('+') && !line.startsWith('+++') ? color(tty, '32', line) : line.startsWith('-') && !line.startsWith('---') ? color(tty, '31', line) : line}`,
    )
    .join('\n')
  const how = `${change.sudo ? 'as root' : 'as the login user'}, mode ${change.mode.toString(8)}, owner ${change.owner}${change.backup ? ', previous kept' : ''}`
  return `  • ${change.summary}: ${change.path} (${how})\n${diff}\n`
}

/** A saved plan, as `apply --plan` shows it before it checks and runs it. */
export function renderPlanFile(plan: SitePlan, tty: boolean): string {
  const hosts = [plan.mirror, ...plan.workers.map((worker) => worker.plan)].filter(
    (host): host is HostPlan => host !== null,
  )
  return hosts
    .map(
      (host) =>
        `Plan for ${host.host}, made ${host.createdAt}\n${host.planned
          .map(
            (step) =>
              `\n${color(tty, '1', `== ${step.title}`)} (${step.id})\n${printableDeep(step.notes)
                .map((note) => `  ${note}\n`)
                .join('')}${step.changes.map((change) => renderChange(change, tty)).join('')}`,
          )
          .join('')}`,
    )
    .join('\n')
}

export function renderFinding(shown: Finding, tty: boolean): string {
  const finding = printableDeep(shown)
  const mark =
    finding.severity === 'blocker'
      ? color(tty, '31', '✖')
      : finding.severity === 'warning'
        ? color(tty, '33', '!')
        : 'i'
  return [
    `  ${mark} ${finding.title}${finding.host ? ` (on ${finding.host})` : ''}`,
    finding.evidence ? `      evidence: ${finding.evidence}` : '',
    finding.fix ? `      fix: ${finding.fix}` : '',
  ]
    .filter(Boolean)
    .join('\n')
    .concat('\n')
}

function progressBar(done: number, total: number, width = 24): string {
  const filled = total > 0 ? Math.round((done / total) * width) : 0
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`
}

/** Prints run events for a person: plans before changes, the log, a live progress line. */
export function humanRenderer(out: Output, options: { showOutput: boolean }) {
  let statusLine = ''
  const clearStatus = (): void => {
    if (out.isTTY && statusLine) out.write('\r\x1b[2K')
  }
  const print = (text: string): void => {
    clearStatus()
    out.write(text)
    if (out.isTTY && statusLine) out.write(statusLine)
  }
  return (received: RunEvent): void => {
    // Log lines, notes and messages come from hosts: never let them drive the terminal.
    const event = printableDeep(received)
    switch (event.type) {
      case 'run-started':
        print(`${event.mode === 'plan' ? 'Plan for' : 'Applying to'} ${event.host}\n`)
        break
      case 'step-started':
        print(`\n${color(out.isTTY, '1', `== ${event.title}`)} (${event.step})\n`)
        break
      case 'plan':
        for (const note of event.plan.notes) print(`  ${note}\n`)
        for (const change of event.plan.changes) print(renderChange(change, out.isTTY))
        break
      case 'log':
        if (event.stream === 'command' || event.stream === 'info' || options.showOutput)
          print(
            `    ${event.stream === 'stderr' ? color(out.isTTY, '2', event.line) : event.line}\n`,
          )
        break
      case 'progress':
        if (out.isTTY) {
          clearStatus()
          statusLine = `  ${event.step} ${progressBar(event.done, event.total)} ${event.label ?? ''}`
          out.write(statusLine)
        } else if (event.done === event.total || event.done % 25 === 0)
          print(`  progress: ${event.done}/${event.total} ${event.label ?? ''}\n`)
        break
      case 'finding':
        print(renderFinding(event.finding, out.isTTY))
        break
      case 'step-done':
        clearStatus()
        statusLine = ''
        print(
          `  -> ${event.status === 'changed' ? color(out.isTTY, '33', 'changed') : event.status === 'ok' ? color(out.isTTY, '32', 'ok') : `${event.changes} change(s) planned`}\n`,
        )
        break
      case 'step-failed':
        clearStatus()
        statusLine = ''
        print(`  ${color(out.isTTY, '31', 'FAILED')}: ${event.message}\n`)
        break
      case 'run-done':
        break
    }
  }
}

export function renderSummary(received: RunSummary, tty: boolean): string {
  const summary = printableDeep(received)
  const lines = summary.steps.map(
    (s) =>
      `  ${s.id.padEnd(14)} ${s.status}${s.changes ? ` (${s.changes} change${s.changes === 1 ? '' : 's'})` : ''}`,
  )
  const total = summary.steps.reduce(
    (n, s) => n + (s.status === 'changed' || s.status === 'planned' ? s.changes : 0),
    0,
  )
  const head =
    summary.status === 'failed'
      ? color(tty, '31', `Failed at ${summary.failedStep}.`)
      : summary.status === 'cancelled'
        ? color(tty, '33', `Cancelled at ${summary.failedStep ?? 'the start'}.`)
        : summary.status === 'planned'
          ? `${total} change(s) would be made.`
          : summary.status === 'changed'
            ? color(tty, '32', `Done: ${total} change(s) made, verified.`)
            : color(tty, '32', 'Nothing to change: the host is as described, verified.')
  return `\n${head}\n${lines.join('\n')}\n${summary.error ? `\n${summary.error}\n` : ''}`
}
