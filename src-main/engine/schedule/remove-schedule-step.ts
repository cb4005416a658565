import { EngineError } from '../errors'
import type { RemoteHost } from '../ssh/remote-host'
import { mirrorLayout, type MirrorLayout } from '../steps/mirror-layout'
import { command, type Change } from '../plan/change'
import type { Step } from '../steps/step'
import { existingPaths } from './existing-files'
import { schedulePaths } from './schedule-paths'

/** Everything a mirror's schedule left on the host, whichever mechanism installed it. */
export async function scheduleArtifacts(host: RemoteHost, layout: MirrorLayout): Promise<string[]> {
  const paths = schedulePaths(layout)
  return existingPaths(host, [
    paths.cronFile,
    paths.timerFile,
    paths.serviceFile,
    paths.wrapperFile,
  ])
}

/** The commands that take a schedule off the host; none when there is nothing to take. */
export function planScheduleRemoval(layout: MirrorLayout, existing: readonly string[]): Change[] {
  const paths = schedulePaths(layout)
  const system = existing.filter((p) => p !== paths.wrapperFile)
  const hasUnits = existing.includes(paths.timerFile) || existing.includes(paths.serviceFile)
  const changes: Change[] = []
  if (existing.includes(paths.timerFile))
    changes.push(
      // The timer may already be gone from systemd's view; the files are what matter.
      command(
        `Stop and disable the timer ${paths.timerUnit}`,
        ['systemctl', 'disable', '--now', paths.timerUnit],
        {
          okExitCodes: [1],
        },
      ),
    )
  if (system.length > 0)
    changes.push({
      kind: 'command',
      summary: `Delete ${system.join(', ')}`,
      argv: ['rm', '-f', '--', ...system],
      sudo: true,
    })
  if (hasUnits)
    changes.push({
      kind: 'command',
      summary: 'Make systemd forget the removed units',
      argv: ['systemctl', 'daemon-reload'],
      sudo: true,
    })
  if (existing.includes(paths.wrapperFile))
    changes.push({
      kind: 'command',
      summary: `Delete ${paths.wrapperFile}`,
      argv: ['rm', '-f', '--', paths.wrapperFile],
      sudo: false,
    })
  return changes
}

/**
 * Takes the sync schedule off the host. The run history stays (it also records the app's own
 * syncs), and so does cron: other jobs may need it.
 */
export const removeScheduleStep: Step = {
  id: 'unschedule',
  title: 'Remove the sync schedule',
  async plan(ctx) {
    const layout = mirrorLayout(ctx.site.mirror)
    const existing = await scheduleArtifacts(ctx.host, layout)
    return {
      changes: planScheduleRemoval(layout, existing),
      notes: existing.length === 0 ? ['no sync schedule is installed for this mirror'] : [],
    }
  },
  async verify(ctx) {
    const left = await scheduleArtifacts(ctx.host, mirrorLayout(ctx.site.mirror))
    if (left.length > 0)
      throw new EngineError(`These schedule files are still there: ${left.join(', ')}`, {
        host: ctx.host.label,
        hint: 'delete them as root',
      })
  },
}
