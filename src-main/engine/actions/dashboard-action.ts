import type { Site } from '#shared/site'
import { addPackagesAction } from './add-packages'
import { removeMirrorAction } from './remove-mirror'
import { restartNginxAction } from './restart-nginx'
import { removeScheduleAction, setScheduleAction } from './schedule-actions'
import {
  dashboardActionRequestSchema,
  type DashboardActionRequest,
} from '#shared/dashboard-request'
import type { SiteAction } from './site-action'
import { syncNowAction } from './sync-now'
import { updateBandersnatchAction } from './update-bandersnatch'
import { pruneAction } from '../prune/prune-action'
import { updateAction } from '../update/update-action'

export { dashboardActionRequestSchema, type DashboardActionRequest }

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
    case 'update':
      return updateAction(site, { choice: checked.choice, expectDigest: checked.expectDigest })
    case 'prune':
      return pruneAction(site, checked.expectDigest)
  }
}
