import { randomUUID } from 'node:crypto'
import { commandLine } from '../engine/remote/quote'
import type { RunEvent, RunMode } from '../engine/run'
import type { Change } from '../engine/steps/step'
import type { HistoryRun, HistoryStep, RunFace, RunStatus } from './history-types'
import { createRedactor, type Redact } from './redact'

export interface RunContext {
  face: RunFace
  action: string
  /** The SSH target, `user@host:port` (the run-started event's host replaces it). */
  host: string
  site?: string | null
  /** Passwords and passphrases in use: removed from everything recorded. */
  secrets?: readonly (string | null | undefined)[]
}

/** Beyond this many log lines a run keeps counting but stops storing (a sync of all PyPI…). */
export const MAX_LOG_LINES = 50_000

function changeDetail(change: Change): string {
  if (change.kind === 'wait') return change.summary
  if (change.kind === 'derive')
    return `${change.routine}: reads ${change.reads}, writes ${change.writes.join(', ')}`
  return change.kind === 'command'
    ? `${change.sudo ? '(as root) ' : ''}$ ${commandLine(change.argv)}`
    : `${change.path}\n${change.diff}`
}

/**
 * Turns the engine's run events into a history record as they arrive, redacting every string on
 * the way in: nothing unredacted is ever held for writing.
 */
export class HistoryRecorder {
  private readonly redact: Redact
  private readonly run: HistoryRun
  private mode: RunMode = 'apply'

  constructor(
    context: RunContext,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.redact = createRedactor(context.secrets ?? [])
    this.run = {
      version: 1,
      id: randomUUID(),
      face: context.face,
      action: this.redact(context.action),
      site: context.site ? this.redact(context.site) : null,
      host: this.redact(context.host),
      startedAt: now().toISOString(),
      endedAt: null,
      status: 'running',
      steps: [],
      commands: [],
      log: [],
      findings: [],
      error: null,
      droppedLines: 0,
    }
  }

  get id(): string {
    return this.run.id
  }

  private stamp(): string {
    return this.now().toISOString()
  }

  private step(id: string): HistoryStep | undefined {
    return [...this.run.steps].reverse().find((s) => s.id === id)
  }

  private addLine(step: string, stream: HistoryRun['log'][number]['stream'], line: string): void {
    const entry = { at: this.stamp(), step, stream, line: this.redact(line) }
    if (stream === 'command') this.run.commands.push(entry)
    if (this.run.log.length < MAX_LOG_LINES) this.run.log.push(entry)
    else this.run.droppedLines++
  }

  record(event: RunEvent): void {
    const r = this.redact
    switch (event.type) {
      case 'run-started':
        this.mode = event.mode
        this.run.host = r(event.host)
        break
      case 'step-started':
        this.run.steps.push({
          id: event.step,
          title: r(event.title),
          mode: this.mode,
          status: 'running',
          changes: [],
          notes: [],
          message: null,
        })
        break
      case 'plan': {
        const step = this.step(event.step)
        if (!step) break
        step.changes = event.plan.changes.map((c) => ({
          summary: r(c.summary),
          detail: r(changeDetail(c)),
        }))
        step.notes = event.plan.notes.map(r)
        break
      }
      case 'log':
        this.addLine(event.step, event.stream, event.line)
        break
      case 'progress':
        break
      case 'finding':
        this.run.findings.push({
          at: this.stamp(),
          step: event.step,
          severity: event.finding.severity,
          title: r(event.finding.title),
          evidence: event.finding.evidence ? r(event.finding.evidence) : null,
          fix: event.finding.fix ? r(event.finding.fix) : null,
        })
        break
      case 'step-done': {
        const step = this.step(event.step)
        if (step) step.status = event.status
        break
      }
      case 'step-failed': {
        const step = this.step(event.step)
        if (step) {
          step.status = 'failed'
          step.message = r(event.message)
        }
        this.run.error = r(event.message)
        break
      }
      case 'run-done':
        this.run.status = event.status
        break
    }
  }

  /** A line that came from outside the event stream (a CLI's plain output). */
  recordLine(line: string, stream: 'stdout' | 'stderr' | 'info' = 'info', step = ''): void {
    this.addLine(step, stream, line)
  }

  /** Ends the record; a status given here (a failure before any event) wins. */
  finish(outcome: { status?: RunStatus; error?: string | null } = {}): HistoryRun {
    if (outcome.status) this.run.status = outcome.status
    else if (this.run.status === 'running') this.run.status = this.run.error ? 'failed' : 'ok'
    if (outcome.error) this.run.error = this.redact(outcome.error)
    this.run.endedAt = this.stamp()
    return this.snapshot()
  }

  /** A copy of the record as it stands. */
  snapshot(): HistoryRun {
    return structuredClone(this.run)
  }
}
