import { describeError, EngineError } from '../errors'
import { writeRemoteFileAtomic } from '../ssh/files'
import { CommandFailedError, type RemoteHost } from '../ssh/remote-host'
import { workerLogTail } from '../workers/worker-process'
import type { Change, CommandChange } from './change'
import type { ApprovedChangeGuard } from './guards'
import { routineNamed } from './routine'
import { waitFor, type WaitContext } from './wait-for'

/** Why a planned command failed, with what the plan says about it and the command's last lines. */
async function failureOf(
  host: RemoteHost,
  change: CommandChange,
  failed: CommandFailedError,
  restored: boolean,
): Promise<EngineError> {
  let message = failed.message
  if (change.failure) {
    const tail = (failed.result.stderr || failed.result.stdout).trim()
    message = `${change.failure.message}${restored ? '; the previous files are back' : ''}${tail ? `:\n${tail}` : ''}`
  }
  if (change.waitFor?.what === 'worker') {
    const tail = await workerLogTail(host, change.waitFor.workerDir, 12)
    message = `${message}\nThe end of worker.out:\n${tail.join('\n')}`
  }
  return new EngineError(message, {
    host: host.label,
    hint:
      change.failure?.hint ??
      failed.details.hint ??
      'read the message above; apply again once it is fixed',
    cause: failed,
  })
}

/**
 * Executes one planned change exactly as planned, the guard letting through that change and
 * nothing else: a file written atomically (refused if it changed since the plan), a command (a
 * failed one runs its planned put-backs, then fails the step), or a named routine that may write
 * only the files the plan lists.
 */
export async function executeChange(
  host: RemoteHost,
  guard: ApprovedChangeGuard,
  change: Change,
  ctx: WaitContext,
): Promise<void> {
  ctx.log(change.summary)
  if (change.kind === 'wait') return waitFor(host, change.waitFor, ctx, false)
  guard.approve(change)
  try {
    if (change.kind === 'derive') {
      const routine = routineNamed(change.routine)
      if (!routine)
        throw new EngineError(
          `The plan runs a routine this version does not know: ${change.routine}`,
          {
            host: host.label,
            hint: 'apply the plan with the version of pip-mirror that made it, or plan again',
          },
        )
      await routine.run(host, change.args, ctx)
      return
    }
    if (change.kind === 'file') {
      const written = await writeRemoteFileAtomic(host, change.path, change.content, {
        mode: change.mode,
        backup: change.backup,
        replaces: change.replaces,
      })
      if (written.backupPath)
        ctx.log(`the previous ${change.path} is kept as ${written.backupPath}`)
      return
    }
    const result = await host.exec(change.argv, { sudo: change.sudo, signal: ctx.signal })
    guard.approve(null)
    if (result.code !== 0 && !(change.okExitCodes ?? []).includes(result.code ?? -1)) {
      const failed = new CommandFailedError(change.argv, result, host.label)
      let restored = (change.onFailure ?? []).length > 0
      for (const undo of change.onFailure ?? [])
        await executeChange(host, guard, undo, ctx).catch((error: unknown) => {
          restored = false
          ctx.log(`putting back failed: ${describeError(error)}`)
        })
      throw await failureOf(host, change, failed, restored)
    }
  } finally {
    guard.approve(null)
  }
  if (change.waitFor) await waitFor(host, change.waitFor, ctx, true)
}
