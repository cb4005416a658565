import { WizardProgressFiles, type WizardProgressFile } from '../app-data/wizard-progress-file'
import {
  siteDraftSchema,
  stageRecordSchema,
  type StageId,
  type StageRecord,
} from '#shared/ipc/session-schemas'

/**
 * The wizard's progress for one site as the session works with it: the progress file
 * (app-data/wizard-progress-file.ts) with each stage's latest run as the page's StageRecord. The
 * conversions below are the one place the file's format meets the IPC types.
 */
export type WizardProgress = Omit<WizardProgressFile, 'stages'> & {
  /** The latest run of each stage. */
  stages: Partial<Record<StageId, StageRecord>>
}

export function freshWizardProgress(): WizardProgress {
  return {
    version: 1,
    wizard: { step: 'connect', completed: [] },
    site: siteDraftSchema.parse({}),
    hostKey: null,
    stages: {},
    activeRun: null,
    actions: [],
  }
}

/** A stored run that no longer fits today's view is forgotten; the rest of the file is kept. */
export function progressFromFile(file: WizardProgressFile): WizardProgress {
  const stages: Partial<Record<StageId, StageRecord>> = {}
  for (const [stage, stored] of Object.entries(file.stages) as [StageId, unknown][]) {
    const record = stageRecordSchema.safeParse(stored)
    if (record.success) stages[stage] = record.data
  }
  return { ...file, stages }
}

export function progressToFile(progress: WizardProgress): WizardProgressFile {
  return progress
}

/** The progress files, read and written as WizardProgress. */
export class WizardProgressStore {
  private readonly files: WizardProgressFiles

  constructor(baseDir: string) {
    this.files = new WizardProgressFiles(baseDir)
  }

  get dir(): string {
    return this.files.dir
  }

  fileOf(key: string): string {
    return this.files.fileOf(key)
  }

  /** Every key with a progress file, sorted. */
  keys(): Promise<string[]> {
    return this.files.keys()
  }

  /** null when the wizard never stopped on this site (a broken file is kept aside, then null). */
  async load(key: string): Promise<WizardProgress | null> {
    const file = await this.files.load(key)
    return file && progressFromFile(file)
  }

  save(key: string, progress: WizardProgress): Promise<void> {
    return this.files.save(key, progressToFile(progress))
  }

  /** Moves a draft's progress to the id its site was saved under. */
  rename(from: string, to: string): Promise<void> {
    return this.files.rename(from, to)
  }

  forget(key: string): Promise<void> {
    return this.files.forget(key)
  }

  /** Resolves once every write asked for so far is done. */
  flush(): Promise<void> {
    return this.files.flush()
  }
}
