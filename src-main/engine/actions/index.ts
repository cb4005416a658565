/**
 * The dashboard's actions. Each is a SiteAction (steps for the step runner): `planAction` shows
 * what it would do and touches nothing, `applyAction` does it and verifies the result. Repairing
 * permissions lives in src-main/engine/permissions.
 */
export {
  applyAction,
  planAction,
  type ActionId,
  type ActionOptions,
  type ActionOutcome,
  type ActionPlan,
  type PlannedStep,
  type SiteAction,
} from './site-action'
export {
  dashboardAction,
  dashboardActionRequestSchema,
  type DashboardActionRequest,
} from './dashboard-action'
export { syncNowAction, forcedSyncStep } from './sync-now'
export { addPackagesAction, siteWithPackages } from './add-packages'
export { restartNginxAction, restartNginxStep, nginxRestartArgv } from './restart-nginx'
export { updateBandersnatchAction, noSyncRunningStep } from './update-bandersnatch'
export {
  checkHostConfirmation,
  HostConfirmationError,
  removeMirrorAction,
  removeMirrorStep,
} from './remove-mirror'
export { removalTargets, type RemovalTargets } from './removal-targets'
export { removeScheduleAction, setScheduleAction } from './schedule-actions'
