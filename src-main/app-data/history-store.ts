import { readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { RunEvent } from '../engine/run'
import { writeFileAtomic } from './atomic-file'
import { HistoryRecorder, type RunContext } from './history-recorder'
import { renderRunsText } from './history-text'
import {
  migrateHistoryRun,
  summarizeRun,
  type HistoryRun,
  type HistoryRunSummary,
  type RunFace,
  type RunStatus,
} from './history-types'
import { createRedactor, redactDeep } from './redact'

export interface HistoryQuery {
  /** Found anywhere in the run: action, host, steps, commands, log (case-insensitive). */
  text?: string
  /** Part of the `user@host:port` target. */
  host?: string
  /** Runs that started at or after / before this time. */
  since?: Date | string
  until?: Date | string
  face?: RunFace
  status?: RunStatus
  /** At most this many, newest first. */
  limit?: number
}

/** A run being recorded: feed it the run's events, then finish it. */
export interface RunRecording {
  readonly id: string
  emit(event: RunEvent): void
  /** A line from outside the event stream (a CLI's plain output). */
  line(text: string, stream?: 'stdout' | 'stderr' | 'info'): void
  finish(outcome?: { status?: RunStatus; error?: string | null }): Promise<HistoryRun>
}

export type ExportFormat = 'text' | 'json'

const FILE = /^(\d{8}T\d{6}Z)-([0-9a-f-]{36})\.json$/

function fileName(run: HistoryRun): string {
  const stamp = run.startedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
  return `${stamp}-${run.id}.json`
}

function render(runs: readonly HistoryRun[], format: ExportFormat): string {
  return format === 'json' ? `${JSON.stringify(runs, null, 2)}\n` : renderRunsText(runs)
}

function toTime(value: Date | string | undefined): number | null {
  if (value === undefined) return null
  const time = new Date(value).getTime()
  return Number.isNaN(time) ? null : time
}

/**
 * Every run, from every face, kept as one JSON file per run under `<baseDir>/history/`.
 * Secrets are removed before anything reaches the disk (see redact.ts).
 */
export class HistoryStore {
  readonly dir: string

  constructor(
    baseDir: string,
    /** Secrets known to the app (the keychain's, for instance), added to every run's own. */
    private readonly knownSecrets: () => readonly string[] = () => [],
  ) {
    this.dir = join(baseDir, 'history')
  }

  /** Starts recording a run; the file is written as it goes, so an interrupted run is kept too. */
  record(context: RunContext): RunRecording {
    const recorder = new HistoryRecorder({
      ...context,
      secrets: [...(context.secrets ?? []), ...this.knownSecrets()],
    })
    // Writes go one after the other; a failed one is reported when the run is finished.
    let writing: Promise<void> = Promise.resolve()
    let failure: unknown = null
    const save = (run: HistoryRun): Promise<void> => {
      writing = writing
        .then(() => this.write(run))
        .catch((error: unknown) => {
          failure ??= error
        })
      return writing
    }
    void save(recorder.snapshot())
    return {
      id: recorder.id,
      emit: (event) => {
        recorder.record(event)
        if (event.type === 'step-done' || event.type === 'step-failed' || event.type === 'run-done')
          void save(recorder.snapshot())
      },
      line: (text, stream) => recorder.recordLine(text, stream),
      finish: async (outcome) => {
        const run = recorder.finish(outcome)
        await save(run)
        if (failure) throw failure
        return run
      },
    }
  }

  private async write(run: HistoryRun): Promise<void> {
    await writeFileAtomic(join(this.dir, fileName(run)), `${JSON.stringify(run, null, 1)}\n`)
  }

  private async files(): Promise<string[]> {
    try {
      return (await readdir(this.dir))
        .filter((name) => FILE.test(name))
        .sort()
        .reverse()
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw error
    }
  }

  private async read(name: string): Promise<HistoryRun | null> {
    try {
      return migrateHistoryRun(JSON.parse(await readFile(join(this.dir, name), 'utf8')))
    } catch {
      return null
    }
  }

  /** Runs matching the query, newest first. */
  async search(query: HistoryQuery = {}): Promise<HistoryRun[]> {
    const since = toTime(query.since)
    const until = toTime(query.until)
    const text = query.text?.toLowerCase()
    const host = query.host?.toLowerCase()
    const found: HistoryRun[] = []
    for (const name of await this.files()) {
      const run = await this.read(name)
      if (!run) continue
      const started = new Date(run.startedAt).getTime()
      if (since !== null && started < since) continue
      if (until !== null && started > until) continue
      if (query.face && run.face !== query.face) continue
      if (query.status && run.status !== query.status) continue
      if (host && !run.host.toLowerCase().includes(host)) continue
      if (text && !JSON.stringify(run).toLowerCase().includes(text)) continue
      found.push(run)
      if (query.limit !== undefined && found.length >= query.limit) break
    }
    return found
  }

  /** The list view: summaries of the runs matching the query, newest first. */
  async list(query: HistoryQuery = {}): Promise<HistoryRunSummary[]> {
    return (await this.search(query)).map(summarizeRun)
  }

  async get(id: string): Promise<HistoryRun | null> {
    const name = (await this.files()).find((n) => FILE.exec(n)?.[2] === id)
    return name ? this.read(name) : null
  }

  async remove(id: string): Promise<boolean> {
    const name = (await this.files()).find((n) => FILE.exec(n)?.[2] === id)
    if (!name) return false
    await rm(join(this.dir, name), { force: true })
    return true
  }

  /** The runs, in the order asked; secrets known now are removed once more. */
  private async exportable(ids: readonly string[]): Promise<HistoryRun[]> {
    const redact = createRedactor(this.knownSecrets())
    const runs: HistoryRun[] = []
    for (const id of ids) {
      const run = await this.get(id)
      if (run) runs.push(redactDeep(run, redact))
    }
    return runs
  }

  /** The runs as one text or JSON document. */
  async exportText(ids: readonly string[], format: ExportFormat): Promise<string> {
    return render(await this.exportable(ids), format)
  }

  /** Writes that document to a file (for a ticket); returns how many runs it holds. */
  async exportToFile(
    ids: readonly string[],
    format: ExportFormat,
    destination: string,
  ): Promise<number> {
    const runs = await this.exportable(ids)
    await writeFileAtomic(destination, render(runs, format))
    return runs.length
  }
}
