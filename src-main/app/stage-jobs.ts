import type { RecordedAction } from '../app-data/recorded-action'
import { EngineError } from '../engine/errors'
import type { Connect, FleetEvent } from '../engine/fleet'
import { probeFacts, FACTS_SCRIPT } from '../engine/remote/facts'
import { commandLine, scriptCommand } from '../engine/remote/quote'
import type { RunMode } from '../engine/run'
import { mirrorRequirements } from '../engine/site-file'
import type { Site } from '#shared/site'
import type { RemoteHost } from '../engine/ssh/remote-host'
import { mirrorLayout, VENV_PYTHON } from '../engine/steps/mirror-layout'
import { compileArgv, previewClosure, STDIN_INPUT } from '../engine/steps/resolve-requirements'
import { upstreamSizes } from '../engine/remote/upstream-sizes'
import type { ClosureEntry, SessionEventInput, StageId, StageRecord } from '#shared/ipc/contract'
import { factsView, fleetEventView, runEventView } from './engine-views'
import type { HostJob, Job, JobResult, JobRun, WorkersJob } from './jobs/job'
import type { ShownPlans } from './jobs/shown-plans'
import { recordHostActions } from './recorded-commands'
import { collectRunEvent, collectFleetEvent, finishStageRecord, newRecord } from './stage-record'
import { STAGE_STEPS } from './stages'

/** What a wizard stage's job reaches in the session. */
export interface StageJobDeps {
  wizardKey: string
  siteId: string | null
  /** The plans the wizard's pages show: what their apply executes. */
  shownPlans: ShownPlans
  /** Keeps a command or file write for "Show commands" and the exported script. */
  record(action: RecordedAction): void
  openWorker: Connect
  send(event: SessionEventInput): void
  /** The open connection to the mirror host; throws when there is none. */
  requireHost(): RemoteHost
}

/** A wizard stage as a job, and the record its page shows, filled in as the run goes. */
export interface StageJob {
  job: Job
  /** The stage's record once the run ended. */
  finish(result: JobResult): StageRecord
}

/**
 * Makes one wizard stage a job: the workers as a fleet, every other stage on the mirror host.
 * Throws (for a refusal) when something the stage needs is missing.
 */
export function stageJob(
  deps: StageJobDeps,
  site: Site,
  stage: StageId,
  mode: RunMode,
  runId: string,
): StageJob {
  const record = newRecord({ runId, stage, mode })
  const common = {
    info: { kind: 'wizard', wizardKey: deps.wizardKey, stage, mode, startedAt: record.startedAt },
    site,
    history: { face: 'wizard', action: stage, site: deps.siteId },
    shown: { plans: deps.shownPlans, key: stage, request: stage },
    unplanned: 'if-unchanged',
    watch: (host: RemoteHost, stepNow: () => string) =>
      recordHostActions(host, stage, stepNow, deps.record),
  } as const
  if (stage === 'workers') {
    if (site.workers.length === 0)
      throw new EngineError('No worker hosts have been added yet', {
        hint: 'add each OpenLambda worker host with "Add worker", then try again',
      })
    const plans: Parameters<typeof finishStageRecord>[2] = []
    const job: WorkersJob = {
      ...common,
      kind: 'workers',
      connect: deps.openWorker,
      stream: (event: FleetEvent) => {
        collectFleetEvent(record, plans, event)
        deps.send({ kind: 'fleet-event', runId, event: fleetEventView(event) })
      },
    }
    return { job, finish: (result) => finishStageRecord(record, result, plans) }
  }
  const host = deps.requireHost()
  if (stage === 'packages' && site.mirror.requirements?.length === 0)
    throw new EngineError('There are no packages to resolve yet', {
      hint: 'type one package per line (for example "requests"), or load a requirements.in file',
    })
  const readOnly = (run: JobRun, step: string, argv: readonly string[]): void => {
    run.emit({ type: 'log', step, stream: 'command', line: `$ ${commandLine(argv)}` })
    deps.record({
      kind: 'command',
      stage,
      step,
      host: host.label,
      argv: [...argv],
      sudo: false,
      readOnly: true,
      at: new Date().toISOString(),
    })
  }
  const job: HostJob = {
    ...common,
    kind: 'host',
    host,
    ...STAGE_STEPS[stage],
    stream: (event) => {
      collectRunEvent(record, event)
      deps.send({ kind: 'run-event', runId, stage, event: runEventView(event) })
    },
  }
  if (stage === 'check')
    // The host's facts, shown on the Check page: one read before the preflight's plan.
    job.before = async (run) => {
      const directory = mirrorLayout(site.mirror).dir
      readOnly(run, 'facts', scriptCommand(FACTS_SCRIPT, [directory]))
      record.facts = factsView(await probeFacts(host, directory))
    }
  if (stage === 'packages')
    // The closure the Packages page shows, once the resolver is on the host.
    job.after = async (run, result) => {
      if (result.status === 'failed' || result.status === 'cancelled') return
      const toolsReady =
        run.mode === 'apply' || record.plans.every((p) => p.plan.changes.length === 0)
      if (!toolsReady) return
      run.at('closure')
      readOnly(run, 'closure', compileArgv(site.mirror, STDIN_INPUT, null))
      record.closure = await resolveClosure(host, site)
      run.emit({
        type: 'log',
        step: 'closure',
        stream: 'info',
        line: `${record.closure.length} releases in the closure`,
      })
    }
  return { job, finish: (result) => finishStageRecord(record, result) }
}

/** The pinned closure of the operator's list, and each release's size on the upstream. */
async function resolveClosure(host: RemoteHost, site: Site): Promise<ClosureEntry[]> {
  const pins = await previewClosure(host, site.mirror, mirrorRequirements(site))
  const sizes = await upstreamSizes(host, VENV_PYTHON, {
    upstream: site.mirror.upstream,
    proxy: site.mirror.proxy,
    platforms: site.mirror.platforms,
    requirements: pins.map((pin) => `${pin.name}==${pin.version}`),
  }).catch(() => null)
  return pins.map((pin) => ({
    name: pin.name,
    version: pin.version,
    marker: pin.marker,
    via: pin.via,
    direct: pin.direct,
    bytes: sizes?.projects[`${pin.name}==${pin.version}`]?.bytes ?? null,
  }))
}
