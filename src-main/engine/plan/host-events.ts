import { commandLine } from '../remote/quote'
import type { RunEvent } from '../run'
import type { RemoteHost } from '../ssh/remote-host'

/** Reports what runs on the host (commands, their output, file writes) as the current step's log. */
export function forwardHostEvents(
  host: RemoteHost,
  currentStep: () => string,
  emit: (event: RunEvent) => void,
): () => void {
  return host.onEvent((event) => {
    const step = currentStep()
    if (!step) return
    if (event.type === 'command')
      emit({
        type: 'log',
        step,
        stream: 'command',
        line: `${event.sudo ? '(as root) ' : ''}$ ${commandLine(event.argv)}`,
      })
    else if (event.type === 'output')
      emit({ type: 'log', step, stream: event.stream, line: event.line })
    else
      emit({
        type: 'log',
        step,
        stream: 'info',
        line: `writing ${event.path}${event.backupPath ? ` (previous kept as ${event.backupPath})` : ''}`,
      })
  })
}
