/**
 * The app's own data, Electron-free: every function takes the base directory (Electron's
 * userData in the app, a temp directory in tests).
 */
export {
  SiteStore,
  SiteStoreError,
  type BrokenSavedSite,
  type SavedSiteSummary,
} from './site-store'
export {
  migrateWizardProgress,
  wizardProgressFileV1Schema,
  WizardProgressFiles,
  type WizardProgressFile,
} from './wizard-progress-file'
export { MAX_RECORDED_ACTIONS, recordedActionSchema, type RecordedAction } from './recorded-action'
export {
  HistoryStore,
  type ExportFormat,
  type HistoryQuery,
  type RunRecording,
} from './history-store'
export { HistoryRecorder, MAX_LOG_LINES, type RunContext } from './history-recorder'
export { renderRunText, renderRunsText } from './history-text'
export {
  historyRunSchema,
  runFaceSchema,
  summarizeRun,
  type HistoryLine,
  type HistoryRun,
  type HistoryRunSummary,
  type HistoryStep,
  type RunFace,
  type RunStatus,
} from './history-types'
export {
  createRedactor,
  redactDeep,
  REDACTED,
  secretForms,
  secretsFromEnv,
  type Redact,
} from './redact'
export { isSlugId, slugify } from './slug'
export { writeFileAtomic } from './atomic-file'
