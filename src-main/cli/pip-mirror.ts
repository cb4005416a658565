import { describeError, EngineError } from '../engine/errors'
import { StalePlanError } from '../engine/plan/apply-host'
import { escapeHidden, printable } from '../engine/printable'
import { HostKeyChangedError, UnknownHostKeyError } from '../engine/ssh/host-keys'
import { SiteError } from '#shared/site'
import { parseCliArgs, UsageError, USAGE, type CliOptions } from './args'
import { audit } from './commands/audit'
import { prune, update } from './commands/update-prune'
import { doctor, repair } from './commands/doctor-repair'
import { EXIT_STALE_PLAN, planOrApply } from './commands/plan-apply'
import { schedule } from './commands/schedule'
import { cancelRunningSync, status } from './commands/status'
import type { Output } from './render'

const stdout: Output = {
  // Renderers remove what hosts could use to drive the terminal; what is left of it (in JSON
  // lines: bidi and C1 characters) is written as \u escapes.
  write: (text) => void process.stdout.write(escapeHidden(text)),
  isTTY: !!process.stdout.isTTY,
}

async function dispatch(options: CliOptions): Promise<number> {
  switch (options.command) {
    case 'plan':
    case 'apply':
      return planOrApply(options, stdout)
    case 'status':
      return status(options, stdout)
    case 'cancel-sync':
      return cancelRunningSync(options, stdout)
    case 'schedule':
      return schedule(options, stdout)
    case 'doctor':
      return doctor(options, stdout)
    case 'repair':
      return repair(options, stdout)
    case 'audit':
      return audit(options, stdout)
    case 'update':
      return update(options, stdout)
    case 'prune':
      return prune(options, stdout)
  }
}

/** The `pip-mirror` command; returns the process exit code. */
export async function runCli(args: readonly string[]): Promise<number> {
  if (args.length === 0 || ['help', '--help', '-h'].includes(args[0] as string)) {
    process.stdout.write(USAGE)
    return 0
  }
  try {
    return await dispatch(parseCliArgs(args))
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`pip-mirror: ${error.message}\n\n${USAGE}`)
      return 2
    }
    if (error instanceof SiteError) {
      process.stderr.write(
        printable(
          `pip-mirror: the site description is not valid:\n${error.problems.map((p) => `  ${p.field}: ${p.message}`).join('\n')}`,
        ) + '\n',
      )
      return 2
    }
    process.stderr.write(`pip-mirror: ${printable(describeError(error))}
`)
    if (error instanceof UnknownHostKeyError || error instanceof HostKeyChangedError) return 3
    if (error instanceof StalePlanError) return EXIT_STALE_PLAN
    return error instanceof EngineError && error.details.code === 'invalid-plan' ? 2 : 1
  }
}
