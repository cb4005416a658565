import { removeScheduleStep } from '../schedule/remove-schedule-step'
import { parseSchedule, type ScheduleInput } from '#shared/schedule'
import { setScheduleStep } from '../schedule/set-schedule-step'
import type { Site } from '#shared/site'
import type { SiteAction } from './site-action'

/** Install or change the periodic sync on the mirror host. */
export function setScheduleAction(site: Site, schedule: ScheduleInput): SiteAction {
  return {
    id: 'set-schedule',
    title: 'Schedule syncs',
    site,
    steps: [setScheduleStep(parseSchedule(schedule))],
  }
}

/** Take the periodic sync off the mirror host. */
export function removeScheduleAction(site: Site): SiteAction {
  return {
    id: 'remove-schedule',
    title: 'Remove the sync schedule',
    site,
    steps: [removeScheduleStep],
  }
}
