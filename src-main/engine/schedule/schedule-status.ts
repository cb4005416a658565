import { probeFacts, type HostFacts } from '../remote/facts'
import { readRemoteFile } from '../ssh/files'
import type { RemoteHost } from '../ssh/remote-host'
import type { Site } from '#shared/site'
import { mirrorLayout, type MirrorLayout } from '../steps/mirror-layout'
import { readSyncHistory, type SyncRun } from '../sync/sync-history'
import { parseCronFile } from './cron-file'
import { probeCronDaemon, type CronDaemon } from './cron-daemon'
import { scheduleMechanism } from './mechanism'
import { describeSchedule, type Schedule } from '#shared/schedule'
import { scheduleFiles } from './schedule-files'
import { schedulePaths } from './schedule-paths'
import type { ScheduleMechanism } from './scheduled-command'
import { scheduleFromTimerUnit, serviceUnitUser } from './systemd-units'
import { timerState } from './timer-activation'

export interface InstalledSchedule {
  mechanism: ScheduleMechanism
  /** null when the entry is not one the app writes (edited by hand): `description` shows it. */
  schedule: Schedule | null
  description: string
  /** The user the sync runs as. */
  user: string | null
  files: string[]
  /** False when the files differ from what the app would write now (hand edits, an older app). */
  current: boolean
  /** The cron daemon runs, or the timer is active: the schedule will fire. */
  firing: boolean
}

export interface ScheduleStatus {
  /** What this host uses for schedules. */
  mechanism: ScheduleMechanism
  installed: InstalledSchedule | null
  /** For hosts without systemd: the cron daemon. */
  cron: CronDaemon | null
  /** The last syncs, newest first, the app's and the schedule's. */
  lastRuns: SyncRun[]
}

async function fileText(host: RemoteHost, path: string): Promise<string | null> {
  return (await readRemoteFile(host, path))?.toString('utf8') ?? null
}

async function isCurrent(
  host: RemoteHost,
  layout: MirrorLayout,
  schedule: Schedule | null,
  mechanism: ScheduleMechanism,
  user: string | null,
): Promise<boolean> {
  if (!schedule || !user) return false
  for (const file of scheduleFiles(layout, schedule, mechanism, user))
    if ((await fileText(host, file.path)) !== file.content) return false
  return true
}

async function installedCron(
  host: RemoteHost,
  layout: MirrorLayout,
  cron: CronDaemon,
): Promise<InstalledSchedule | null> {
  const paths = schedulePaths(layout)
  const text = await fileText(host, paths.cronFile)
  if (text === null) return null
  const entry = parseCronFile(text)
  const schedule = entry?.schedule ?? null
  const user = entry?.user ?? null
  return {
    mechanism: 'cron',
    schedule,
    description: schedule
      ? describeSchedule(schedule)
      : entry
        ? `cron "${entry.expression}"`
        : 'an entry with no job line',
    user,
    files: [paths.cronFile, paths.wrapperFile],
    current: await isCurrent(host, layout, schedule, 'cron', user),
    firing: cron.running,
  }
}

async function installedTimer(
  host: RemoteHost,
  layout: MirrorLayout,
): Promise<InstalledSchedule | null> {
  const paths = schedulePaths(layout)
  const [timer, service] = await Promise.all([
    fileText(host, paths.timerFile),
    fileText(host, paths.serviceFile),
  ])
  if (timer === null) return null
  const schedule = scheduleFromTimerUnit(timer)
  const user = service === null ? null : serviceUnitUser(service)
  const state = await timerState(host, paths.timerUnit)
  return {
    mechanism: 'systemd-timer',
    schedule,
    description: schedule ? describeSchedule(schedule) : 'a timer with a calendar set by hand',
    user,
    files: [paths.timerFile, paths.serviceFile, paths.wrapperFile],
    current: await isCurrent(host, layout, schedule, 'systemd-timer', user),
    firing: state.active,
  }
}

/** The dashboard's schedule panel: what is installed, whether it fires, and how the last runs went. */
export async function readScheduleStatus(
  host: RemoteHost,
  site: Site,
  options: { facts?: HostFacts; runs?: number } = {},
): Promise<ScheduleStatus> {
  const layout = mirrorLayout(site.mirror)
  const facts = options.facts ?? (await probeFacts(host, layout.dir))
  const mechanism = scheduleMechanism(facts)
  const cron = mechanism === 'cron' ? await probeCronDaemon(host) : null
  const installed = cron
    ? await installedCron(host, layout, cron)
    : await installedTimer(host, layout)
  return {
    mechanism,
    installed,
    cron,
    lastRuns: await readSyncHistory(host, layout, options.runs ?? 10),
  }
}
