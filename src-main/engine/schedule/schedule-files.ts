import type { MirrorLayout } from '../steps/mirror-layout'
import { renderCronFile } from './cron-file'
import type { Schedule } from '#shared/schedule'
import { schedulePaths } from './schedule-paths'
import { scheduledSyncArgv, wrapperFileText, type ScheduleMechanism } from './scheduled-command'
import { renderServiceUnit, renderTimerUnit } from './systemd-units'

export interface ScheduleFile {
  path: string
  content: string
  /** A file under /etc, written as root; the wrapper belongs to the mirror's owner. */
  system: boolean
  /** Keep the previous content beside it: not in /etc/cron.d, where some crons would run it. */
  backup: boolean
  summary: string
}

/** Every file a schedule consists of, with the content the app wants in it. */
export function scheduleFiles(
  layout: MirrorLayout,
  schedule: Schedule,
  mechanism: ScheduleMechanism,
  user: string,
): ScheduleFile[] {
  const paths = schedulePaths(layout)
  const argv = scheduledSyncArgv(layout, mechanism)
  const wrapper: ScheduleFile = {
    path: paths.wrapperFile,
    content: wrapperFileText(),
    system: false,
    backup: true,
    summary: 'Install the sync wrapper the schedule runs (the one the app runs)',
  }
  if (mechanism === 'cron')
    return [
      wrapper,
      {
        path: paths.cronFile,
        content: renderCronFile({ schedule, user, argv, directory: layout.dir }),
        system: true,
        backup: false,
        summary: `Write the cron entry (runs as ${user})`,
      },
    ]
  return [
    wrapper,
    {
      path: paths.serviceFile,
      content: renderServiceUnit({ directory: layout.dir, user, argv }),
      system: true,
      backup: true,
      summary: `Write the sync service (runs as ${user})`,
    },
    {
      path: paths.timerFile,
      content: renderTimerUnit({ schedule, directory: layout.dir, serviceUnit: paths.serviceUnit }),
      system: true,
      backup: true,
      summary: 'Write the timer that starts it',
    },
  ]
}
