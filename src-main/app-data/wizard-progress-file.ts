import { readFile, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { siteDraftSchema, stageIdSchema, wizardStepIdSchema } from '#shared/wizard'
import { writeFileAtomic } from './atomic-file'
import { recordedActionSchema } from './recorded-action'
import { isSlugId, slugIdsIn } from './slug'

/**
 * Where the wizard stopped for one site, kept beside the saved sites (never in them: a site file
 * is exactly what the CLI reads), so the wizard reopens the site on that page with what its runs
 * found. Never a secret: only what the page and a resume need.
 *
 * This is the file's own format, declared here and not borrowed from the IPC contract: the pages'
 * views change, the files users already have must still load. app/wizard-progress.ts converts it
 * to and from the session's types. A new format gets a new `version` and a step in
 * `migrateWizardProgress`; test/fixtures/app-data/ keeps a file of each version ever written.
 */
export const wizardProgressFileV1Schema = z.object({
  version: z.literal(1),
  wizard: z.object({
    step: wizardStepIdSchema,
    completed: z.array(wizardStepIdSchema),
  }),
  /** The site as the wizard fills it in. */
  site: siteDraftSchema,
  /** The host key the mirror host showed when last connected. */
  hostKey: z.object({ keyType: z.string(), fingerprint: z.string() }).nullable(),
  /**
   * The latest run of each stage, as its page was sent it (a StageRecord). Kept as the page's
   * view, which the file does not own: app/wizard-progress.ts checks each against today's view
   * when it reads it back, and forgets one that no longer fits rather than the whole file.
   */
  stages: z.partialRecord(stageIdSchema, z.unknown()),
  /** Set while a run is under way; still set after a restart means it was interrupted. */
  activeRun: z
    .object({
      runId: z.string(),
      stage: stageIdSchema,
      mode: z.enum(['plan', 'apply']),
      startedAt: z.string(),
    })
    .nullable(),
  /** The commands and file writes of the wizard's runs, for "Show commands" and the script. */
  actions: z.array(recordedActionSchema),
})

/** The format written now. */
export type WizardProgressFile = z.output<typeof wizardProgressFileV1Schema>

/** Every format ever written, told apart by `version`. */
const anyWizardProgressFileSchema = z.discriminatedUnion('version', [wizardProgressFileV1Schema])

/**
 * A progress file's content, in any format ever written, as the format written now; null when it
 * is none of them. Version 1 is the format written now, so it needs no step yet; when version 2
 * comes, `case 1` turns the old file into it.
 */
export function migrateWizardProgress(raw: unknown): WizardProgressFile | null {
  const parsed = anyWizardProgressFileSchema.safeParse(raw)
  if (!parsed.success) return null
  const file = parsed.data
  switch (file.version) {
    case 1:
      return file
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

/**
 * One JSON file per site under `<baseDir>/wizard-progress/`, named by the saved site's id (or by
 * a draft's own id until the site is saved). Writes are atomic and run one after another; a file
 * that does not parse is kept aside as `.broken` and that wizard starts over.
 */
export class WizardProgressFiles {
  readonly dir: string
  private writes = Promise.resolve()

  constructor(baseDir: string) {
    this.dir = join(baseDir, 'wizard-progress')
  }

  fileOf(key: string): string {
    if (!isSlugId(key)) throw new Error(`"${key}" is not a saved site's or a draft's id`)
    return join(this.dir, `${key}.json`)
  }

  /** Every key with a progress file, sorted. */
  async keys(): Promise<string[]> {
    return slugIdsIn(this.dir)
  }

  /** null when the wizard never stopped on this site (a broken file is kept aside, then null). */
  async load(key: string): Promise<WizardProgressFile | null> {
    const path = this.fileOf(key)
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch {
      return null
    }
    const file = migrateWizardProgress(safeJson(text))
    if (file) return file
    await rename(path, `${path}.broken`).catch(() => undefined)
    return null
  }

  save(key: string, progress: WizardProgressFile): Promise<void> {
    const path = this.fileOf(key)
    const content = `${JSON.stringify(progress, null, 2)}\n`
    return this.queue(() => writeFileAtomic(path, content))
  }

  /** Moves a draft's progress to the id its site was saved under. */
  rename(from: string, to: string): Promise<void> {
    const source = this.fileOf(from)
    const target = this.fileOf(to)
    return this.queue(() => rename(source, target).catch(ignoreMissing))
  }

  forget(key: string): Promise<void> {
    const path = this.fileOf(key)
    return this.queue(() => rm(path, { force: true }))
  }

  /** Resolves once every write asked for so far is done. */
  flush(): Promise<void> {
    return this.writes
  }

  private queue(write: () => Promise<void>): Promise<void> {
    const next = this.writes.then(write)
    this.writes = next.catch(() => undefined)
    return next
  }
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
}
