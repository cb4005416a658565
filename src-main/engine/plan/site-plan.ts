import { createHash, randomUUID } from 'node:crypto'
import { z } from 'zod'
import { describeErrorValue, EngineError } from '../errors'
import { runFleet, type Connect, type FleetEvent, type FleetSummary } from '../fleet'
import { failedRun, planSummary, type RunEvent, type RunSummary } from '../run'
import { parseSite, type Site } from '#shared/site'
import { MIRROR_STEPS } from '../steps/mirror-steps'
import { workerJobs } from '../workers/apply-workers'
import { mirrorAccessLog } from '../workers/mirror-access-log'
import { workerSteps } from '../workers/worker-steps'
import { applyHostPlan, checkPlanState, StalePlanError } from './apply-host'
import { hostPlanSchema, type HostPlan } from './host-plan'
import { planSteps } from './plan-host'

/**
 * A whole site's plan, as `pip-mirror plan --out FILE` saves it and `apply --plan FILE` runs it:
 * the site it was made for, the mirror host's plan and each worker's.
 */
export const sitePlanSchema = z.object({
  format: z.literal('pip-mirror-plan'),
  version: z.literal(1),
  createdAt: z.string(),
  /** sha256 of the site description below, to tell plans of different sites apart. */
  siteSha256: z.string(),
  site: z.unknown(),
  mirror: hostPlanSchema.nullable(),
  workers: z.array(
    z.object({ label: z.string(), plan: hostPlanSchema.nullable(), error: z.string().nullable() }),
  ),
})
export type SitePlan = z.infer<typeof sitePlanSchema>

export interface SitePlanScope {
  from?: string | undefined
  /** Only the mirror host, or only the workers. */
  only?: 'mirror' | 'workers' | undefined
  signal?: AbortSignal
}

export function siteSha256(site: Site): string {
  return createHash('sha256').update(JSON.stringify(site)).digest('hex')
}

/** The site a plan was made for (parsed again: a plan file is input like any other). */
export function siteOfPlan(plan: SitePlan): Site {
  return parseSite(plan.site)
}

export function parseSitePlan(text: string, source: string): SitePlan {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new EngineError(`${source} is not JSON: ${(error as Error).message}`, {
      code: 'invalid-plan',
      hint: 'give the file `pip-mirror plan --out` wrote',
    })
  }
  const parsed = sitePlanSchema.safeParse(value)
  if (!parsed.success)
    throw new EngineError(
      `${source} is not a pip-mirror plan: ${parsed.error.issues[0]?.message ?? ''} at ${parsed.error.issues[0]?.path.join('.') ?? ''}`,
      {
        code: 'invalid-plan',
        hint: 'give the file `pip-mirror plan --out` wrote, with the same version of pip-mirror',
      },
    )
  if (siteSha256(siteOfPlan(parsed.data)) !== parsed.data.siteSha256)
    throw new EngineError(
      `${source} was edited after it was made: its site does not match its checksum`,
      {
        code: 'invalid-plan',
        hint: 'plan again; a plan is applied as it was made or not at all',
      },
    )
  return parsed.data
}

export function planChangeCount(plan: SitePlan): number {
  const count = (host: HostPlan | null): number =>
    host?.planned.reduce((n, step) => n + step.changes.length, 0) ?? 0
  return count(plan.mirror) + plan.workers.reduce((n, worker) => n + count(worker.plan), 0)
}

export function planErrors(plan: SitePlan): string[] {
  return [
    ...(plan.mirror?.error
      ? [`${plan.mirror.host}: ${describeErrorValue(plan.mirror.error)}`]
      : []),
    ...plan.workers.flatMap((worker) =>
      worker.error
        ? [`${worker.label}: ${worker.error}`]
        : worker.plan?.error
          ? [`${worker.label}: ${describeErrorValue(worker.plan.error)}`]
          : [],
    ),
  ]
}

/**
 * Plans the mirror host and every worker (four at a time), touching nothing anywhere. Workers are
 * planned against the mirror as it is now; what needs the mirror serving is planned as commands
 * that run once it does, and checked again before any change on the worker.
 */
export async function planSite(
  site: Site,
  connect: Connect,
  scope: SitePlanScope,
  emit: { mirror(event: RunEvent): void; fleet(event: FleetEvent): void },
): Promise<SitePlan> {
  let mirror: HostPlan | null = null
  if (scope.only !== 'workers') {
    const host = await connect(site.mirror.ssh)
    try {
      const runId = randomUUID()
      emit.mirror({
        type: 'run-started',
        runId,
        mode: 'plan',
        host: host.label,
        steps: MIRROR_STEPS.map(({ id, title }) => ({ id, title })),
      })
      mirror = await planSteps(
        MIRROR_STEPS,
        host,
        site,
        { from: scope.from, ...signalOf(scope) },
        emit.mirror,
      )
      const summary = planSummary(runId, mirror)
      emit.mirror({
        type: 'run-done',
        runId,
        status: summary.status,
        ...(summary.failedStep ? { failedStep: summary.failedStep } : {}),
      })
    } finally {
      host.close()
    }
  }
  const workers: SitePlan['workers'] = []
  if (scope.only !== 'mirror' && site.workers.length > 0) {
    const fleet = await runFleet(
      workerJobs(site, (target) => workerSteps(target)),
      connect,
      { mode: 'plan', ...signalOf(scope) },
      emit.fleet,
    )
    for (const host of fleet.hosts)
      workers.push({
        label: host.host,
        plan: host.summary?.plan ?? null,
        error: host.summary?.plan ? null : (host.error ?? 'not planned'),
      })
  }
  return {
    format: 'pip-mirror-plan',
    version: 1,
    createdAt: new Date().toISOString(),
    siteSha256: siteSha256(site),
    site,
    mirror,
    workers,
  }
}

function signalOf(scope: { signal?: AbortSignal | undefined }): { signal?: AbortSignal } {
  return scope.signal ? { signal: scope.signal } : {}
}

/**
 * Before the first change anywhere: every host's state read again (one round trip each, all at
 * once) and compared with what the plan was made from. One difference refuses the whole apply.
 */
export async function checkSitePlan(plan: SitePlan, connect: Connect): Promise<void> {
  const hosts = [plan.mirror, ...plan.workers.map((worker) => worker.plan)].filter(
    (host): host is HostPlan => host !== null && host.error === null,
  )
  const stale: string[] = []
  await Promise.all(
    hosts.map(async (hostPlan) => {
      const host = await connect(hostPlan.target)
      try {
        await checkPlanState(host, hostPlan)
      } catch (error) {
        if (error instanceof StalePlanError)
          stale.push(...error.changes.map((change) => `${hostPlan.host}: ${change}`))
        else throw error
      } finally {
        host.close()
      }
    }),
  )
  if (stale.length > 0)
    throw new StalePlanError(
      hosts.length === 1 ? (hosts[0]?.host ?? '') : `${hosts.length} hosts`,
      stale,
    )
}

export interface SiteRun {
  mirror: RunSummary | null
  workers: FleetSummary | null
}

/**
 * Executes a site plan exactly: the mirror host's plan, then (when the mirror did not fail) each
 * worker's, four at a time. The states were checked first (checkSitePlan); nothing is planned
 * again here.
 */
export async function applySitePlan(
  plan: SitePlan,
  connect: Connect,
  options: { signal?: AbortSignal },
  emit: { mirror(event: RunEvent): void; fleet(event: FleetEvent): void },
): Promise<SiteRun> {
  const site = siteOfPlan(plan)
  let mirror: RunSummary | null = null
  if (plan.mirror) {
    const mirrorPlan = plan.mirror
    try {
      const host = await connect(mirrorPlan.target)
      try {
        mirror = await applyHostPlan(
          mirrorPlan,
          MIRROR_STEPS,
          host,
          site,
          { ...options, stateChecked: true },
          emit.mirror,
        )
      } finally {
        host.close()
      }
    } catch (error) {
      mirror = failedRun(randomUUID(), mirrorPlan.steps, error)
    }
    if (mirror.status === 'failed' || mirror.status === 'cancelled')
      return { mirror, workers: null }
  }
  if (plan.workers.length === 0) return { mirror, workers: null }
  // A worker that could not be planned has nothing approved to run: it is left out.
  const plans = new Map(
    plan.workers.flatMap((worker) => (worker.plan ? [[worker.label, worker.plan] as const] : [])),
  )
  // Every worker's proof reads the mirror's access log over one connection to the mirror host.
  const access = mirrorAccessLog(site, connect)
  const jobs = workerJobs(site, (target) => workerSteps(target, { mirrorLog: access.log })).flatMap(
    (job) => {
      const hostPlan = plans.get(job.label)
      return hostPlan ? [{ ...job, plan: hostPlan }] : []
    },
  )
  if (jobs.length === 0) return { mirror, workers: null }
  try {
    const fleet = { mode: 'apply' as const, ...signalOf(options) }
    return { mirror, workers: await runFleet(jobs, connect, fleet, emit.fleet) }
  } finally {
    access.close()
  }
}
