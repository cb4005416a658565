import type { MirrorLayout } from '../steps/mirror-layout'
import { SYNC_WRAPPER, syncWrapperArgs } from '../sync/sync-wrapper'
import { schedulePaths } from './schedule-paths'

export type ScheduleMechanism = 'systemd-timer' | 'cron'

/**
 * What the schedule runs: the app's own sync wrapper (sync-wrapper.ts, installed as a file), so a
 * scheduled sync has the same pid, log and exit files the app reattaches to, and the same lock.
 * Cancelling a sync signals its process group, so the wrapper must lead one: under cron `setsid`
 * makes it so; systemd starts every service in a session of its own already, and a `setsid` there
 * would fork away from the service, which systemd then stops.
 */
export function scheduledSyncArgv(layout: MirrorLayout, mechanism: ScheduleMechanism): string[] {
  const run = ['/bin/sh', schedulePaths(layout).wrapperFile, ...syncWrapperArgs(layout, 'schedule')]
  return mechanism === 'cron' ? ['setsid', ...run] : run
}

/** Arguments that need no quoting in a crontab line or a systemd `ExecStart=` (and hold no `%`). */
const PLAIN_ARGUMENT = /^[A-Za-z0-9_@+=:,./-]+$/

export function plainCommandLine(argv: readonly string[]): string {
  const unsafe = argv.find((arg) => !PLAIN_ARGUMENT.test(arg))
  if (unsafe !== undefined)
    throw new Error(`"${unsafe}" cannot go into a crontab line or a unit file unquoted`)
  return argv.join(' ')
}

/** The wrapper as the file the schedule runs: the very text the app passes to `sh -c`. */
export function wrapperFileText(): string {
  return SYNC_WRAPPER
}
