/** The workers' API for the CLI and the desktop app. */
export { applyWorkers, planWorkers, type WorkerFleetOptions } from './apply-workers'
export { controlWorkers, type WorkerControl } from './control-workers'
export { doctorWorkers, type WorkersDoctorReport } from './doctor-workers'
export type { DoctorAction, DoctorCause, DoctorFinding } from './doctor-finding'
export { addToMirrorRequirements } from './mirror-additions'
export { workerTargets, workerLabel, pipMirrorFor, type WorkerTarget } from '#shared/worker-target'
export type { WorkerDoctorReport } from '../steps/worker-doctor'
export {
  fleetSummaryLines,
  runFleet,
  type Connect,
  type FleetEvent,
  type FleetSummary,
  type FleetHostResult,
} from '../fleet'
