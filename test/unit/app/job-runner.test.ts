import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HistoryStore } from '../../../src-main/app-data/history-store'
import type { HostJob } from '../../../src-main/app/jobs/job'
import { JobRunner } from '../../../src-main/app/jobs/job-runner'
import { ShownPlans } from '../../../src-main/app/jobs/shown-plans'
import type { HostPlan } from '../../../src-main/engine/plan/host-plan'
import type { RunEvent } from '../../../src-main/engine/run'
import { parseSite } from '#shared/site'
import type { RemoteHost } from '../../../src-main/engine/ssh/remote-host'

const LABEL = 'ops@10.0.0.5:22'
const TARGET = { host: '10.0.0.5', port: 22, user: 'ops' }
const SITE = parseSite({
  mirror: {
    ssh: TARGET,
    directory: '/srv/pypi',
    requirements: ['alpha'],
    serve: { listen: '10.0.0.5:8080', location: '/pypi/' },
  },
})

/** A host whose every read fails as a lost connection does: what the runner makes of it. */
function lostHost(): RemoteHost {
  const lost = (): Promise<never> => Promise.reject(new Error('The SSH connection was lost'))
  return {
    label: LABEL,
    target: TARGET,
    isConnected: false,
    onEvent: () => () => undefined,
    setGuard: () => null,
    exec: lost,
    run: lost,
    script: lost,
    read: lost,
    readScript: lost,
    identity: lost,
  } as unknown as RemoteHost
}

function plan(): HostPlan {
  return {
    host: LABEL,
    target: TARGET,
    createdAt: new Date().toISOString(),
    steps: [{ id: 'nginx', title: 'Serve with nginx' }],
    selected: ['nginx'],
    planned: [{ id: 'nginx', title: 'Serve with nginx', changes: [], notes: [], findings: [] }],
    state: { mirrorDirectory: '/srv/pypi', requests: [], fingerprint: { facts: {}, reads: {} } },
    error: null,
  }
}

let dataDir: string
let runner: JobRunner
let shown: ShownPlans
let events: RunEvent[]

function job(request: string): HostJob {
  return {
    kind: 'host',
    info: {
      kind: 'dashboard',
      siteId: 'lab',
      action: 'restart-nginx',
      title: 'Restart nginx',
      mode: 'apply',
      startedAt: new Date().toISOString(),
    },
    site: SITE,
    host: lostHost(),
    steps: [],
    history: { face: 'dashboard', action: 'restart-nginx', site: 'lab' },
    shown: { plans: shown, key: 'lab', request },
    unplanned: 'refuse',
    stream: (event) => events.push(event),
  }
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pmw-runner-'))
  runner = new JobRunner(new HistoryStore(dataDir))
  shown = new ShownPlans()
  events = []
})

afterEach(async () => {
  await runner.stopAll()
  await rm(dataDir, { recursive: true, force: true })
})

describe('the job runner', () => {
  it('refuses an apply with no plan on show, or with the plan of another request', () => {
    expect(runner.start(job('{"action":"restart-nginx"}'), 'apply')).toMatchObject({
      kind: 'refused',
      error: { code: 'no-plan' },
    })
    shown.keep('lab', '{"action":"sync-now"}', plan())
    expect(runner.start(job('{"action":"restart-nginx"}'), 'apply')).toMatchObject({
      kind: 'refused',
      error: { code: 'no-plan' },
    })
  })

  it('runs the plan on show once, under the host lock, and records how it ended', async () => {
    shown.keep('lab', 'restart', plan())
    const started = runner.start(job('restart'), 'apply')
    if (started.kind !== 'started') throw new Error('not started')
    expect(runner.start(job('restart'), 'plan')).toMatchObject({
      kind: 'refused',
      error: { message: `A “Restart nginx” run is already under way on ${LABEL}.` },
    })
    const result = await started.done
    expect(result).toMatchObject({
      runId: started.runId,
      status: 'failed',
      error: { message: 'The SSH connection was lost' },
    })
    expect(events.map((event) => event.type)).toContain('run-started')
    const recorded = await new HistoryStore(dataDir).get(result.historyId ?? '')
    expect(recorded).toMatchObject({ face: 'dashboard', action: 'restart-nginx', status: 'failed' })
    // The plan was taken by that apply: applying again needs a new plan.
    expect(runner.start(job('restart'), 'apply')).toMatchObject({ kind: 'refused' })
  })
})
