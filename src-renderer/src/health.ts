import type { HealthCheckView } from '#shared/ipc/contract'

export type HealthState = HealthCheckView['state']

/** The dots' colours (styles/base.css holds the same values as variables) and their words. */
export const HEALTH_COLOUR: Record<HealthState, string> = {
  ok: '#2e7d4f',
  warning: '#a66a00',
  failed: '#b42318',
  unknown: '#8b96a5',
}

export const HEALTH_WORD: Record<HealthState, string> = {
  ok: 'healthy',
  warning: 'needs a look',
  failed: 'failing',
  unknown: 'not checked',
}
