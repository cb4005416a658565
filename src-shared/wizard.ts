import { z } from 'zod'
import { mirrorSchema, sshTargetSchema, workerSchema } from './site'

/**
 * The wizard's pages and stages, and the site as the wizard fills it in: what the page, the app
 * session and the saved wizard progress (app-data) all speak of, beside the IPC contract.
 */

export const WIZARD_STEP_IDS = [
  'connect',
  'check-host',
  'packages',
  'mirror',
  'serve',
  'verify',
  'workers',
  'done',
] as const
export const wizardStepIdSchema = z.enum(WIZARD_STEP_IDS)

/**
 * What one run does. Each is a slice of the engine's steps (src-main/app/stages.ts):
 * check = preflight; packages = the resolver's tools, then the closure; mirror = preflight
 * to sync; serve = nginx; verify = verify; repair = the permission doctor and its repair;
 * workers = every worker host's setup, several hosts at once.
 */
export const STAGE_IDS = [
  'check',
  'packages',
  'mirror',
  'serve',
  'verify',
  'repair',
  'workers',
] as const
export const stageIdSchema = z.enum(STAGE_IDS)

/** Each stage's name, as the wizard's pages and the history show it. */
export const STAGE_TITLES: Record<(typeof STAGE_IDS)[number], string> = {
  check: 'Check the host',
  packages: 'Choose packages',
  mirror: 'Mirror',
  serve: 'Serve',
  verify: 'Verify',
  repair: 'Repair permissions',
  workers: 'Workers',
}

/** The site as the wizard fills it in: no secrets, and parts still missing until their page. */
export const siteDraftSchema = z.object({
  ssh: sshTargetSchema.optional(),
  directory: mirrorSchema.shape.directory,
  upstream: mirrorSchema.shape.upstream,
  allowNonHttps: mirrorSchema.shape.allowNonHttps,
  proxy: mirrorSchema.shape.proxy,
  requirements: mirrorSchema.shape.requirements.unwrap().default([]),
  /** The Pythons the mirror keeps and proves (the sandboxes' one, once a worker tells it). */
  pythonVersions: mirrorSchema.shape.pythonVersions,
  serve: mirrorSchema.shape.serve.optional(),
  workers: z.array(workerSchema).max(200).default([]),
})
