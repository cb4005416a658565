import type { HistoryRun } from './history-types'

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n')
}

/** One run as plain text, the way it is attached to a ticket. */
export function renderRunText(run: HistoryRun): string {
  const lines = [
    `=== Pip Mirror Wizard run ${run.id}`,
    `what:     ${run.action} (from the ${run.face})${run.site ? `, site ${run.site}` : ''}`,
    `host:     ${run.host}`,
    `started:  ${run.startedAt}`,
    `ended:    ${run.endedAt ?? '(still running or interrupted)'}`,
    `status:   ${run.status}`,
  ]
  if (run.error) lines.push(`error:\n${indent(run.error, '  ')}`)
  lines.push('', 'steps:')
  for (const step of run.steps) {
    lines.push(`  [${step.mode}] ${step.id} (${step.title}): ${step.status}`)
    for (const note of step.notes) lines.push(`      note: ${note}`)
    for (const change of step.changes)
      lines.push(`      • ${change.summary}`, indent(change.detail, '          '))
    if (step.message) lines.push(indent(step.message, '      ! '))
  }
  if (run.findings.length > 0) {
    lines.push('', 'findings:')
    for (const f of run.findings)
      lines.push(
        `  ${f.severity}: ${f.title}`,
        ...(f.evidence ? [`      evidence: ${f.evidence}`] : []),
        ...(f.fix ? [`      fix: ${f.fix}`] : []),
      )
  }
  lines.push('', 'commands:')
  for (const c of run.commands) lines.push(`  ${c.at} [${c.step}] ${c.line}`)
  lines.push('', 'log:')
  for (const l of run.log)
    lines.push(`  ${l.at} [${l.step}] ${l.stream === 'stderr' ? '(stderr) ' : ''}${l.line}`)
  if (run.droppedLines > 0) lines.push(`  … ${run.droppedLines} more lines were not kept`)
  return `${lines.join('\n')}\n`
}

export function renderRunsText(runs: readonly HistoryRun[]): string {
  return runs.map(renderRunText).join('\n')
}
