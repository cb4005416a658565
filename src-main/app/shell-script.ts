import { commandLine } from '../engine/remote/quote'
import type { StageId, StageRecord } from '#shared/ipc/contract'
import type { RecordedAction } from '../app-data/recorded-action'
import { STAGE_TITLES } from './stages'

/**
 * Everything the wizard changed, as a shell script a person can read and re-run: the commands in
 * the order they ran, under a heading per stage, with each written file's diff as comments.
 * Read-only checks are left out. Built from the recorded argv through the engine's quoting.
 */
export function renderShellScript(
  actions: readonly RecordedAction[],
  stages: Partial<Record<StageId, StageRecord>>,
  exportedAt: Date,
): string {
  const hosts = [...new Set(actions.map((action) => action.host))]
  const lines = [
    '#!/bin/sh',
    `# What Pip Mirror Wizard ran on ${hosts.join(', ') || '(no host yet)'}, in order.`,
    `# Exported ${exportedAt.toISOString()}. Read-only checks are left out.`,
    '# Files the wizard wrote are shown as diffs in comments; it kept each previous file as a backup.',
    'set -eu',
  ]
  let heading = ''
  for (const action of actions) {
    if (action.kind === 'command' && action.readOnly) continue
    const title = `${STAGE_TITLES[action.stage]}: ${action.step}`
    if (title !== heading) {
      heading = title
      lines.push('', `# == ${title} (${action.host})`)
    }
    if (action.kind === 'command') {
      const runsAsRoot = action.sudo && !action.host.startsWith('root@')
      lines.push(`${runsAsRoot ? 'sudo ' : ''}${commandLine(action.argv)}`)
    } else {
      lines.push(...fileWriteLines(action, stages[action.stage]))
    }
  }
  return `${lines.join('\n')}\n`
}

function fileWriteLines(
  action: Extract<RecordedAction, { kind: 'file-write' }>,
  stage: StageRecord | undefined,
): string[] {
  const kept = action.backupPath ? ` (previous kept as ${action.backupPath})` : ''
  const diff = stage?.plans
    .flatMap(({ plan }) => plan.changes)
    .find((change) => change.kind === 'file' && change.path === action.path)
  const diffLines =
    diff?.kind === 'file'
      ? diff.diff
          .trimEnd()
          .split('\n')
          .map((line) => `#   ${line}`)
      : []
  return [`# wrote ${action.path}${kept}`, ...diffLines]
}
