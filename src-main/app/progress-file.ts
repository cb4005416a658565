import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { z } from 'zod'
import { commandLine } from '../engine/remote/quote'
import type { CommandLineView } from '../ipc-contract'
import {
  activeRunSchema,
  hostKeySchema,
  siteDraftSchema,
  stageIdSchema,
  stageRecordSchema,
  wizardStepIdSchema,
} from '../ipc-session-schemas'

/** Something the engine did on a host, kept for "Show commands" and the exported script. */
export const recordedActionSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('command'),
    stage: stageIdSchema,
    step: z.string(),
    host: z.string(),
    argv: z.array(z.string()),
    sudo: z.boolean(),
    readOnly: z.boolean(),
    at: z.string(),
  }),
  z.object({
    kind: z.literal('file-write'),
    stage: stageIdSchema,
    step: z.string(),
    host: z.string(),
    path: z.string(),
    backupPath: z.string().nullable(),
    at: z.string(),
  }),
])

/** The wizard's progress on disk: never a secret, only what the page and a resume need. */
export const progressSchema = z.object({
  version: z.literal(1),
  wizard: z.object({
    step: wizardStepIdSchema,
    completed: z.array(wizardStepIdSchema),
  }),
  site: siteDraftSchema,
  /** The host key the mirror host showed when last connected. */
  hostKey: hostKeySchema.nullable(),
  stages: z.partialRecord(stageIdSchema, stageRecordSchema),
  /** Set while a run is under way; still set after a restart means it was interrupted. */
  activeRun: activeRunSchema.nullable(),
  actions: z.array(recordedActionSchema),
})

export type Progress = z.output<typeof progressSchema>
export type RecordedAction = z.output<typeof recordedActionSchema>

/** Kept on disk at most; older ones drop off the front. */
export const MAX_RECORDED_ACTIONS = 5_000

export function freshProgress(): Progress {
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

/**
 * One JSON file in the app's data directory. Writes are atomic (temp file + rename) and run one
 * after another; a file that does not parse is kept aside as `.broken` and the wizard starts over.
 */
export class ProgressFile {
  private writes = Promise.resolve()

  constructor(readonly path: string) {}

  async load(): Promise<Progress> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch {
      return freshProgress()
    }
    const parsed = progressSchema.safeParse(safeJson(text))
    if (parsed.success) return parsed.data
    await rename(this.path, `${this.path}.broken`).catch(() => undefined)
    return freshProgress()
  }

  /** Resolves once every save asked for so far is on disk. */
  flush(): Promise<void> {
    return this.writes
  }

  save(progress: Progress): Promise<void> {
    const content = `${JSON.stringify(progress, null, 2)}\n`
    const write = this.writes.then(async () => {
      await mkdir(dirname(this.path), { recursive: true, mode: 0o700 })
      const temporary = `${this.path}.tmp`
      await writeFile(temporary, content, { mode: 0o600 })
      await rename(temporary, this.path)
    })
    this.writes = write.catch(() => undefined)
    return write
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

/** A recorded command as "Show commands" lists it, in the engine's own rendering. */
export function commandLineOf(action: RecordedAction): CommandLineView | null {
  if (action.kind !== 'command') return null
  return {
    stage: action.stage,
    step: action.step,
    line: `${action.sudo ? '(as root) ' : ''}$ ${commandLine(action.argv)}`,
    readOnly: action.readOnly,
  }
}
