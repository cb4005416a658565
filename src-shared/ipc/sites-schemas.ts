import { z } from 'zod'
import { siteIdSchema } from './dashboard-schemas'
import { wizardStepIdSchema } from './session-schemas'

/** The start screen: the saved sites, the setups not saved yet, and files that no longer parse. */

const shortText = z.string().max(10_000)

/** Where the wizard stopped for a site. */
export const setupStateSchema = z.object({
  step: wizardStepIdSchema,
  completed: z.array(wizardStepIdSchema),
  /** The mirror was verified: the dashboard is the place for this site now. */
  verified: z.boolean(),
})

export const savedSiteViewSchema = z.object({
  id: siteIdSchema,
  /** The file `pip-mirror --site` reads. */
  file: shortText,
  name: shortText,
  host: shortText,
  user: shortText,
  port: z.number(),
  directory: shortText,
  url: shortText,
  workers: z.number(),
  savedAt: shortText,
  /** null when the wizard never ran for it here (an imported site). */
  setup: setupStateSchema.nullable(),
})

/** A setup the wizard has not saved as a site yet (no serving address chosen so far). */
export const draftViewSchema = z.object({
  key: siteIdSchema,
  /** `user@host:port`, once connected. */
  host: shortText,
  directory: shortText,
  setup: setupStateSchema,
  updatedAt: shortText,
})

export const siteListSchema = z.object({
  sites: z.array(savedSiteViewSchema),
  drafts: z.array(draftViewSchema),
  broken: z.array(z.object({ id: shortText, file: shortText, problem: shortText })),
})

export type SetupState = z.output<typeof setupStateSchema>
export type SavedSiteView = z.output<typeof savedSiteViewSchema>
export type DraftView = z.output<typeof draftViewSchema>
export type SiteListView = z.output<typeof siteListSchema>

/**
 * A site file that would replace a saved site: what changes, for the operator to confirm. The
 * main process keeps the site it read; confirming with the token saves exactly that one.
 */
export const siteImportReviewSchema = z.object({
  token: shortText,
  id: siteIdSchema,
  name: shortText,
  /** The unified diff of the saved site's file against the imported one. */
  diff: z.string().max(4_000_000),
  /** Upstream, proxy, index, mirror URL and worker changes, pointed out on their own. */
  notable: z.array(
    z.object({
      field: shortText,
      before: shortText.nullable(),
      after: shortText.nullable(),
      why: shortText,
    }),
  ),
})

export type SiteImportReview = z.output<typeof siteImportReviewSchema>
