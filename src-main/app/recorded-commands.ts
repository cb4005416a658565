import type { RecordedAction } from '../app-data/recorded-action'
import { commandLine } from '../engine/remote/quote'
import type { CommandLineView } from '../ipc-contract'

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
