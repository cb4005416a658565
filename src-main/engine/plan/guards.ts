import type { ChangeGuard, GuardedOperation } from '../ssh/remote-host'
import type { Change } from './change'

/** While a plan is made: reads only. */
export const NOTHING_CHANGES: ChangeGuard = {
  check: () => 'a plan is being made, and planning changes nothing',
}

function sameArgv(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((arg, i) => arg === b[i])
}

/** Whether an operation is exactly the given planned change. */
export function isPlanned(change: Change, operation: GuardedOperation): boolean {
  if (change.kind === 'wait') return false
  if (change.kind === 'file') return operation.kind === 'write' && operation.path === change.path
  if (change.kind === 'derive')
    return operation.kind === 'write' && change.writes.includes(operation.path)
  return (
    operation.kind === 'command' &&
    operation.sudo === change.sudo &&
    sameArgv(operation.argv, change.argv)
  )
}

/**
 * While a plan is applied: the change being executed, and nothing else. Between changes (and
 * while a step verifies) only reads.
 */
export class ApprovedChangeGuard implements ChangeGuard {
  private current: Change | null = null

  approve(change: Change | null): void {
    this.current = change
  }

  check(operation: GuardedOperation): string | null {
    if (!this.current)
      return 'it is not a change of the approved plan (only reads run between changes)'
    return isPlanned(this.current, operation)
      ? null
      : `the approved change now is "${this.current.summary}", and this is not it`
  }
}
