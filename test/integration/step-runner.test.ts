import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, readFile, rm, chmod, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RemoteHost } from '../../src-main/engine/ssh/remote-host'
import { runSteps, type RunEvent } from '../../src-main/engine/run'
import { parseSite } from '#shared/site'
import type { Step } from '../../src-main/engine/steps/step'
import { fileRead } from '../../src-main/engine/plan/state-request'
import { planFile, sha256 } from '../../src-main/engine/steps/managed-file'
import { planSteps } from '../../src-main/engine/plan/plan-host'
import {
  applyHostPlan,
  checkPlanState,
  StalePlanError,
} from '../../src-main/engine/plan/apply-host'
import { EngineError } from '../../src-main/engine/errors'
import { defineRoutine, derive } from '../../src-main/engine/plan/routine'
import { FailedProof } from '../../src-main/engine/plan/failed-proof'
import { command } from '../../src-main/engine/plan/change'
import { readRemoteFile, writeRemoteFileAtomic } from '../../src-main/engine/ssh/files'
import { makeClientKey, startSshd, type TestSshd } from '../testbed/sshd'

let sshd: TestSshd
let work: string
let host: RemoteHost

beforeAll(async () => {
  sshd = await startSshd()
  work = await mkdtemp(join(tmpdir(), 'pmw-runner-'))
  await chmod(work, 0o755)
  const key = await makeClientKey(work, 'key')
  await sshd.authorize('root', key)
  host = await RemoteHost.connect(
    { host: sshd.host, port: sshd.port, user: 'root', identityFile: key.path },
    {
      credentials: {},
      trust: {
        knownHostsPath: join(work, 'known_hosts'),
        acceptFingerprint: sshd.hostKeyFingerprint,
      },
    },
  )
})

afterAll(async () => {
  host?.close()
  await sshd?.stop()
  await rm(work, { recursive: true, force: true })
})

const site = parseSite({
  mirror: {
    ssh: { host: '127.0.0.1', user: 'root' },
    requirements: ['alpha'],
    serve: { listen: '127.0.0.1:8080' },
  },
})

/** A real step: keeps one file on the host at the wanted content. */
function fileStep(id: string, path: string, content: string): Step {
  return {
    id,
    title: `Write ${path}`,
    reads: () => [fileRead(path)],
    async plan(ctx) {
      const change = planFile(ctx.state, ctx.host.label, { path, content }, `write ${path}`)
      return { changes: change ? [change] : [], notes: [] }
    },
    async verify(ctx) {
      const seen = (await ctx.host.read(['cat', path])).stdout
      if (seen !== content) throw new EngineError(`${path} holds something else`)
    },
  }
}

const failingStep: Step = {
  id: 'broken',
  title: 'A step that fails',
  plan: async () => ({
    changes: [{ kind: 'command', summary: 'run false', argv: ['false'], sudo: false }],
    notes: [],
  }),
}

describe('step runner', () => {
  it('applies, reports changed, and a second run on the converged host reports ok', async () => {
    const a = join(work, 'a.txt')
    const b = join(work, 'b.txt')
    const steps = [fileStep('a', a, 'A\n'), fileStep('b', b, 'B\n')]
    const events: RunEvent[] = []
    const first = await runSteps(steps, host, site, { mode: 'apply' }, (e) => events.push(e))
    expect(first.status).toBe('changed')
    expect(first.steps.map((s) => s.status)).toEqual(['changed', 'changed'])
    expect(await readFile(a, 'utf8')).toBe('A\n')
    const types = events.map((e) => e.type)
    expect(types[0]).toBe('run-started')
    expect(types).toContain('plan')
    expect(
      events.some((e) => e.type === 'log' && e.stream === 'command' && e.line.includes('cat')),
    ).toBe(true)
    expect(types.at(-1)).toBe('run-done')

    const second = await runSteps(steps, host, site, { mode: 'apply' }, () => undefined)
    expect(second.status).toBe('ok')
    expect(second.steps.map((s) => [s.status, s.changes])).toEqual([
      ['ok', 0],
      ['ok', 0],
    ])
  })

  it('plan mode touches nothing', async () => {
    const path = join(work, 'planned.txt')
    const summary = await runSteps(
      [fileStep('p', path, 'P\n')],
      host,
      site,
      { mode: 'plan' },
      () => undefined,
    )
    expect(summary.steps[0]).toEqual({ id: 'p', status: 'planned', changes: 1 })
    expect(existsSync(path)).toBe(false)
  })

  it('stops at the first failure with a clear message, and starts again from any step', async () => {
    const before = join(work, 'before.txt')
    const after = join(work, 'after.txt')
    const steps = [fileStep('before', before, '1\n'), failingStep, fileStep('after', after, '2\n')]
    const events: RunEvent[] = []
    const summary = await runSteps(steps, host, site, { mode: 'apply' }, (e) => events.push(e))
    expect(summary.status).toBe('failed')
    expect(summary.failedStep).toBe('broken')
    // The step after the failure never ran, and says so (never "ok").
    expect(summary.steps.map((s) => s.status)).toEqual(['changed', 'failed', 'not run'])
    expect(summary.error).toMatch(/`false` failed with exit code 1/)
    expect(existsSync(after)).toBe(false)
    const failed = events.find((e) => e.type === 'step-failed')
    expect(failed).toMatchObject({
      step: 'broken',
      message: expect.stringContaining('A step that fails failed'),
    })

    const resumed = await runSteps(
      steps,
      host,
      site,
      { mode: 'apply', from: 'after' },
      () => undefined,
    )
    expect(resumed.steps.map((s) => s.status)).toEqual(['skipped', 'skipped', 'changed'])
    expect(await readFile(after, 'utf8')).toBe('2\n')
    await expect(
      runSteps(steps, host, site, { mode: 'apply', from: 'nope' }, () => undefined),
    ).rejects.toThrow(/no step "nope"/)
  })

  it('executes the plan it was given, and refuses it when the host changed since, saying what changed', async () => {
    const path = join(work, 'contract.txt')
    const steps = [fileStep('c', path, 'approved\n')]
    const plan = await planSteps(steps, host, site, {}, () => undefined)
    expect(plan.planned[0]?.changes).toMatchObject([{ kind: 'file', path, replaces: null }])

    // Someone writes the file between the plan and the apply: the plan is stale.
    await writeFile(path, 'written by someone else\n')
    const refused = await applyHostPlan(plan, steps, host, site, {}, () => undefined)
    expect(refused.status).toBe('failed')
    expect(refused.failure?.code).toBe('stale-plan')
    expect(refused.error).toContain(`file ${path}: was absent, now sha256`)
    expect(refused.steps.map((s) => s.status)).toEqual(['not run'])
    expect(await readFile(path, 'utf8')).toBe('written by someone else\n')
    await expect(checkPlanState(host, plan)).rejects.toBeInstanceOf(StalePlanError)

    // A fresh plan of the same host applies, and what runs is exactly its one change.
    const fresh = await planSteps(steps, host, site, {}, () => undefined)
    const writes: string[] = []
    const stop = host.onEvent((event) => {
      if (event.type === 'file-write') writes.push(event.path)
    })
    const applied = await applyHostPlan(fresh, steps, host, site, {}, () => undefined)
    stop()
    expect(applied.status).toBe('changed')
    expect(writes).toEqual([path])
    expect(await readFile(path, 'utf8')).toBe('approved\n')
  })

  it('the host refuses, while a plan is made or applied, every change the plan does not list', async () => {
    const sneaky = join(work, 'sneaky.txt')
    const sneakInPlan: Step = {
      id: 'sneak-plan',
      title: 'Changes the host while planning',
      async plan(ctx) {
        await ctx.host.run(['touch', sneaky])
        return { changes: [], notes: [] }
      },
    }
    const planned = await runSteps([sneakInPlan], host, site, { mode: 'plan' }, () => undefined)
    expect(planned.status).toBe('failed')
    expect(planned.error).toMatch(/Refused to run `touch .*sneaky.txt`: a plan is being made/)
    const sneakInVerify: Step = {
      id: 'sneak-verify',
      title: 'Changes the host while verifying',
      plan: async () => ({ changes: [], notes: [] }),
      async verify(ctx) {
        await ctx.host.run(['touch', sneaky])
      },
    }
    const applied = await runSteps([sneakInVerify], host, site, { mode: 'apply' }, () => undefined)
    expect(applied.status).toBe('failed')
    expect(applied.failure?.code).toBeUndefined()
    expect(applied.error).toMatch(/not a change of the approved plan/)
    expect(existsSync(sneaky)).toBe(false)
  })

  it("runs a failed command's planned put-backs, then fails the step with the plan's words", async () => {
    const path = join(work, 'rolled-back.txt')
    await writeFile(path, 'before\n')
    const withRollback: Step = {
      id: 'rollback',
      title: 'Write, check, put back',
      reads: () => [fileRead(path)],
      async plan(ctx) {
        const write = planFile(ctx.state, ctx.host.label, { path, content: 'after\n' }, 'write')
        if (!write) throw new Error('expected a change')
        return {
          changes: [
            write,
            {
              kind: 'command',
              summary: 'check it (fails)',
              argv: ['sh', '-c', 'echo "the check says no" >&2; exit 3'],
              sudo: false,
              onFailure: [
                {
                  ...write,
                  summary: 'put back',
                  content: 'before\n',
                  replaces: sha256('after\n'),
                  backup: false,
                },
              ],
              failure: { message: 'the check rejected the new file', hint: 'fix the file' },
            },
          ],
          notes: [],
        }
      },
    }
    const summary = await runSteps([withRollback], host, site, { mode: 'apply' }, () => undefined)
    expect(summary.status).toBe('failed')
    expect(summary.failure).toMatchObject({
      message: expect.stringContaining(
        'the check rejected the new file; the previous files are back',
      ),
      hint: 'fix the file',
    })
    expect(summary.error).toContain('the check says no')
    expect(await readFile(path, 'utf8')).toBe('before\n')
  })

  it('a derive change runs its routine after the change it reads, and the routine may write only the files the plan lists', async () => {
    const made = join(work, 'made.txt')
    const derived = join(work, 'derived.txt')
    const unlisted = join(work, 'unlisted.txt')
    // Reads what the planned command wrote, then writes the file it is allowed to (and, asked to
    // sneak, one the plan does not list).
    const routine = defineRoutine({
      name: 'test-derive',
      async run(target, args, ctx) {
        const source = (await readRemoteFile(target, made))?.toString('utf8') ?? ''
        ctx.log(`derived from ${source.trim()}`)
        await writeRemoteFileAtomic(target, derived, `${source.trim()}, derived\n`)
        if (args[0] === 'sneak') await writeRemoteFileAtomic(target, unlisted, 'sneaky\n')
      },
    })
    const stepWith = (mode: string): Step => ({
      id: `derive-${mode}`,
      title: 'Make a file, then derive another from it',
      plan: async () => ({
        changes: [
          command('make it', ['sh', '-c', 'echo "made at apply" > "$1"', 'sh', made], {
            sudo: false,
          }),
          derive('derive it', routine, [mode], [derived], `${made} as the command wrote it`),
        ],
        notes: [],
      }),
    })
    const log: string[] = []
    const summary = await runSteps([stepWith('honest')], host, site, { mode: 'apply' }, (e) => {
      if (e.type === 'log') log.push(e.line)
    })
    expect(summary.error).toBeUndefined()
    expect(log).toContain('derived from made at apply')
    expect(await readFile(derived, 'utf8')).toBe('made at apply, derived\n')

    const sneaky = await runSteps([stepWith('sneak')], host, site, { mode: 'apply' }, () => {})
    expect(sneaky.status).toBe('failed')
    expect(sneaky.error).toMatch(
      /Refused to write .*unlisted\.txt: the approved change now is "derive it"/,
    )
    expect(existsSync(unlisted)).toBe(false)
  })

  it('a verification that fails with a FailedProof still hands over what it proved', async () => {
    const proving: Step<undefined, { cells: number }> = {
      id: 'prove',
      title: 'Prove something that does not hold',
      plan: async () => ({ changes: [], notes: [] }),
      async verify(ctx) {
        throw new FailedProof('1 of 4 cells fails', { host: ctx.host.label }, { cells: 4 })
      },
    }
    const summary = await runSteps([proving], host, site, { mode: 'apply' }, () => undefined)
    expect(summary.status).toBe('failed')
    expect(summary.error).toContain('1 of 4 cells fails')
    expect(summary.proofs).toEqual({ prove: { cells: 4 } })
  })
})
