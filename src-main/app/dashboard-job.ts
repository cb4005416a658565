import { dashboardAction } from '../engine/actions/dashboard-action'
import type { SiteAction } from '../engine/actions/site-action'
import type { Site } from '#shared/site'
import { permissionsLeastStep } from '../engine/steps/permissions'
import type { DashboardActionId, DashboardRequest } from '#shared/ipc/contract'

/**
 * One dashboard action as steps for the step runner: the engine's SiteAction for most, and the
 * permission repair (the permissions module's step) beside them, so that every action is planned,
 * applied and verified the same way (runActionSteps), and followed live through the same events.
 */
export type DashboardJob = Omit<SiteAction, 'id'> & { action: DashboardActionId }

/** Throws (a SiteError naming the field, for instance) when the request cannot be an action. */
export function dashboardJob(site: Site, request: DashboardRequest): DashboardJob {
  if (request.action === 'repair-permissions')
    return {
      action: 'repair-permissions',
      title: 'Repair permissions',
      site,
      steps: [permissionsLeastStep],
    }
  const { id, ...action } = dashboardAction(site, request)
  return { ...action, action: id }
}
