/** One dot on the dashboard's picture: its colour and the sentence behind it. */
export type HealthState = 'ok' | 'warning' | 'failed' | 'unknown'

export interface HealthCheck {
  state: HealthState
  /** What was checked and what came back ("GET http://…/simple/ from ops@10.0.0.5: HTTP 200"). */
  reason: string
}

export const healthy = (reason: string): HealthCheck => ({ state: 'ok', reason })
export const failed = (reason: string): HealthCheck => ({ state: 'failed', reason })
export const warning = (reason: string): HealthCheck => ({ state: 'warning', reason })
export const unknown = (reason: string): HealthCheck => ({ state: 'unknown', reason })

const RANK: Record<HealthState, number> = { ok: 0, unknown: 1, warning: 2, failed: 3 }

/** An arrow's dot: the worst of its checks, with the reasons of those that are not ok. */
export function combineChecks(checks: readonly HealthCheck[]): HealthCheck {
  const worst = checks.reduce<HealthState>(
    (state, check) => (RANK[check.state] > RANK[state] ? check.state : state),
    'ok',
  )
  const reasons = checks.filter((c) => c.state !== 'ok').map((c) => c.reason)
  return {
    state: worst,
    reason: reasons.length > 0 ? reasons.join('; ') : checks.map((c) => c.reason).join('; '),
  }
}
