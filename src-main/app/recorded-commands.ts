import type { RecordedAction } from '../app-data/recorded-action'
import { commandLine } from '../engine/remote/quote'
import type { RemoteHost } from '../engine/ssh/remote-host'
import type { CommandLineView, StageId } from '#shared/ipc/contract'

/** A recorded command as "Show commands" lists it, in the engine's own rendering. */
export function commandLineOf(action: RecordedAction): CommandLineView | null {
  if (action.kind !== 'command') return null
  return {
    stage: action.stage,
    step: action.step,
    line: `${action.sudo ? '(as root) ' : ''}$ ${commandLine(action.argv)}`,
    readOnly: action.readOnly,
  }
}

/**
 * Records every command and file write a host reports, as done in `stage` by the step
 * `stepNow()` names at the time. Returns the function that stops recording.
 */
export function recordHostActions(
  host: RemoteHost,
  stage: StageId,
  stepNow: () => string,
  record: (action: RecordedAction) => void,
): () => void {
  return host.onEvent((event) => {
    const at = new Date().toISOString()
    if (event.type === 'command')
      record({
        kind: 'command',
        stage,
        step: stepNow(),
        host: event.host,
        argv: [...event.argv],
        sudo: event.sudo,
        readOnly: false,
        at,
      })
    else if (event.type === 'file-write')
      record({
        kind: 'file-write',
        stage,
        step: stepNow(),
        host: event.host,
        path: event.path,
        backupPath: event.backupPath,
        at,
      })
  })
}
