import { z } from 'zod'
import { scheduleSchema } from '../schedule/schedule'
import type { Site } from '../site'
import { addPackagesAction } from './add-packages'
import { removeMirrorAction } from './remove-mirror'
import { restartNginxAction } from './restart-nginx'
import { removeScheduleAction, setScheduleAction } from './schedule-actions'
import type { SiteAction } from './site-action'
import { syncNowAction } from './sync-now'
import { updateBandersnatchAction } from './update-bandersnatch'

/**
 * What the dashboard asks for, as one validated shape (for the IPC boundary). Repairing
 * permissions is the permissions module's own (src-main/engine/permissions).
 */
export const dashboardActionRequestSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('sync-now') }),
  z.strictObject({
    action: z.literal('add-packages'),
    requirements: z.array(z.string().max(500)).min(1).max(5000),
  }),
  z.strictObject({ action: z.literal('restart-nginx') }),
  z.strictObject({ action: z.literal('update-bandersnatch') }),
  z.strictObject({
    action: z.literal('remove-mirror'),
    /** The host name as the operator typed it; needed to apply, not to plan. */
    confirmHost: z.string().max(253).nullable().default(null),
  }),
  z.strictObject({ action: z.literal('set-schedule'), schedule: scheduleSchema }),
  z.strictObject({ action: z.literal('remove-schedule') }),
])

export type DashboardActionRequest = z.input<typeof dashboardActionRequestSchema>

/** The action a dashboard request stands for; plan it with planAction, run it with applyAction. */
export function dashboardAction(site: Site, request: DashboardActionRequest): SiteAction {
  const checked = dashboardActionRequestSchema.parse(request)
  switch (checked.action) {
    case 'sync-now':
      return syncNowAction(site)
    case 'add-packages':
      return addPackagesAction(site, checked.requirements)
    case 'restart-nginx':
      return restartNginxAction(site)
    case 'update-bandersnatch':
      return updateBandersnatchAction(site)
    case 'remove-mirror':
      return removeMirrorAction(site, checked.confirmHost)
    case 'set-schedule':
      return setScheduleAction(site, checked.schedule)
    case 'remove-schedule':
      return removeScheduleAction(site)
  }
}
