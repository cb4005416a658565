import type { PackageCheckView } from '../../src-main/ipc-contract'

/** A release that pip could not get from the mirror (the engine's own rule, for display). */
export function packageFailed(check: PackageCheckView): boolean {
  return check.page !== 200 || !check.listed || check.downloaded === false
}

/** nginx refused to read the mirror: the permission doctor's case. */
export function hasForbidden(checks: readonly PackageCheckView[]): boolean {
  return checks.some((check) => check.page === 403)
}
