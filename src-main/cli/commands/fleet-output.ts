import type { FleetEvent } from '../../engine/fleet'
import { fleetSummaryLines } from '../../engine/workers'
import { printableDeep } from '../../engine/printable'
import { renderChange, renderFinding, type Output } from '../render'

/** One line per host whenever its state changes, the findings, then the summary. */
export function fleetRenderer(out: Output): (event: FleetEvent) => void {
  return (received) => {
    const event = printableDeep(received)
    switch (event.type) {
      case 'fleet-started':
        out.write(
          `\nWorkers: ${event.hosts.length} host(s), ${event.concurrency} at a time (${event.mode})\n`,
        )
        break
      case 'fleet-host-status':
        out.write(`  [${event.host}] ${event.line}\n`)
        break
      case 'fleet-host':
        if (event.event.type === 'finding') out.write(renderFinding(event.event.finding, out.isTTY))
        if (event.event.type === 'plan' && event.event.plan.changes.length > 0)
          out.write(
            `  [${event.host}] ${event.event.step}:\n${event.event.plan.changes.map((c) => renderChange(c, out.isTTY)).join('')}`,
          )
        break
      case 'fleet-done':
        out.write(
          `${fleetSummaryLines(event.summary)
            .map((l) => `  ${l}`)
            .join('\n')}\n`,
        )
        break
    }
  }
}
