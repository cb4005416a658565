import { randomUUID } from 'node:crypto'
import type { RunMode } from '../engine/run'
import { mirrorLayout } from '../engine/steps/mirror-layout'
import { cancelSync } from '../engine/sync/sync-job'
import type { RunStartOutcome, SessionSnapshot, StageId } from '#shared/ipc/contract'
import { errorView } from './engine-views'
import type { JobRunner } from './jobs/job-runner'
import type { SessionConnections } from './session-connections'
import type { SessionEvents } from './session-events'
import { siteFromDraft } from './site-draft'
import { stageJob, type StageJob } from './stage-jobs'
import type { WizardSession } from './wizard-session'

/**
 * The wizard's stages as jobs of the session's runner. A stage's run is marked in the setup's
 * progress while it goes (a run still marked after a restart was interrupted: the page
 * reattaches), and its record is kept there when it ends.
 */
export class StageRuns {
  constructor(
    private readonly runner: JobRunner,
    private readonly wizard: WizardSession,
    private readonly connections: SessionConnections,
    private readonly events: SessionEvents,
  ) {}

  async startRun({ stage, mode }: { stage: StageId; mode: RunMode }): Promise<RunStartOutcome> {
    const wizard = this.wizard.current
    const runId = randomUUID()
    let prepared: StageJob
    try {
      prepared = stageJob(
        {
          wizardKey: wizard.key,
          siteId: wizard.siteId,
          shownPlans: wizard.shownPlans,
          record: (action) => this.wizard.record(wizard, action),
          openWorker: this.connections.openWorker,
          send: (event) => this.events.send(event),
          requireHost: () => this.connections.requireHost(),
        },
        siteFromDraft(wizard.progress.site),
        stage,
        mode,
        runId,
      )
    } catch (error) {
      return { kind: 'refused', error: errorView(error) }
    }
    const started = this.runner.start(
      prepared.job,
      mode,
      async (result) => {
        // Closing the app only stops following: the run stays marked, so the next start reattaches.
        if (this.events.closed) return
        const record = prepared.finish(result)
        wizard.progress.stages[stage] = record
        if (wizard.progress.activeRun?.runId === record.runId) wizard.progress.activeRun = null
        await this.wizard.save(wizard)
        this.events.send({ kind: 'run-finished', record })
        await this.connections.announce()
      },
      runId,
    )
    if (started.kind === 'refused') return started
    wizard.progress.activeRun = { runId, stage, mode, startedAt: prepared.job.info.startedAt }
    await this.wizard.save(wizard)
    return { kind: 'started', runId }
  }

  /** Stops bandersnatch itself on the host; the next mirror run resumes from its todo list. */
  async cancelSync(): Promise<{ stopped: boolean }> {
    const layout = mirrorLayout(siteFromDraft(this.wizard.current.progress.site).mirror)
    return { stopped: await cancelSync(this.connections.requireHost(), layout) }
  }

  /** The open setup's run under way, if any. */
  activeRun(): SessionSnapshot['activeRun'] {
    for (const { runId, info } of this.runner.running())
      if (info.kind === 'wizard' && info.wizardKey === this.wizard.current.key)
        return { runId, stage: info.stage, mode: info.mode, startedAt: info.startedAt }
    return null
  }
}
