/** Scheduled syncs: the model, and installing, reading and removing a schedule on a host. */
export {
  describeSchedule,
  HOUR_INTERVALS,
  MINUTE_INTERVALS,
  parseDaily,
  parseEvery,
  parseSchedule,
  sameSchedule,
  ScheduleError,
  scheduleSchema,
  type Schedule,
  type ScheduleInput,
} from '#shared/schedule'
export { cronExpression, scheduleFromCron } from './cron-expression'
export { onCalendar, scheduleFromOnCalendar } from './on-calendar'
export { scheduleId, schedulePaths, type SchedulePaths } from './schedule-paths'
export { scheduledSyncArgv, type ScheduleMechanism } from './scheduled-command'
export { setScheduleStep } from './set-schedule-step'
export { removeScheduleStep, scheduleArtifacts } from './remove-schedule-step'
export { readScheduleStatus, type InstalledSchedule, type ScheduleStatus } from './schedule-status'
export type { SyncRun } from '../sync/sync-history'
