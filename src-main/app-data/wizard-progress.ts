import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { writeFileAtomic } from './atomic-file'
import { isSlugId } from './slug'

/**
 * Where the wizard stopped for a saved site, kept beside the sites (not in them: a site file is
 * exactly what the CLI reads), so the wizard reopens the site on that page.
 */
export const wizardProgressSchema = z.object({
  /** The page the operator was on. */
  step: z.string().max(100),
  /** The pages done. */
  completed: z.array(z.string().max(100)).max(50),
  /** The last run the wizard made, in the history. */
  lastRunId: z.string().max(100).nullable().default(null),
  updatedAt: z.string(),
})

export type WizardProgress = z.infer<typeof wizardProgressSchema>

function progressFile(baseDir: string, siteId: string): string {
  if (!isSlugId(siteId)) throw new Error(`"${siteId}" is not a saved site's id`)
  return join(baseDir, 'wizard-progress', `${siteId}.json`)
}

export async function saveWizardProgress(
  baseDir: string,
  siteId: string,
  progress: Omit<WizardProgress, 'updatedAt' | 'lastRunId'> & { lastRunId?: string | null },
): Promise<WizardProgress> {
  const value = wizardProgressSchema.parse({ ...progress, updatedAt: new Date().toISOString() })
  await writeFileAtomic(progressFile(baseDir, siteId), `${JSON.stringify(value, null, 2)}\n`)
  return value
}

/** null when the wizard never stopped on this site (or its record does not parse). */
export async function loadWizardProgress(
  baseDir: string,
  siteId: string,
): Promise<WizardProgress | null> {
  try {
    const parsed = wizardProgressSchema.safeParse(
      JSON.parse(await readFile(progressFile(baseDir, siteId), 'utf8')),
    )
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

export async function forgetWizardProgress(baseDir: string, siteId: string): Promise<void> {
  await rm(progressFile(baseDir, siteId), { force: true })
}
