import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, readFile, rm, chmod } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RemoteHost } from '../../src-main/engine/ssh/remote-host'
import { readRemoteFile, writeRemoteFileAtomic } from '../../src-main/engine/ssh/files'
import { runSteps, type RunEvent } from '../../src-main/engine/run'
import { parseSite } from '../../src-main/engine/site'
import type { Step } from '../../src-main/engine/steps/step'
import { EngineError } from '../../src-main/engine/errors'
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
    async check(ctx) {
      const current = await readRemoteFile(ctx.host, path)
      return { done: current?.toString() === content, summary: path }
    },
    async plan(ctx) {
      const { done } = await this.check(ctx)
      return {
        changes: done
          ? []
          : [{ kind: 'file', summary: `write ${path}`, path, diff: `+${content}` }],
        notes: [],
      }
    },
    async apply(ctx) {
      await writeRemoteFileAtomic(ctx.host, path, content)
    },
    async verify(ctx) {
      const seen = (await ctx.host.run(['cat', path])).stdout
      if (seen !== content) throw new EngineError(`${path} holds something else`)
    },
  }
}

const failingStep: Step = {
  id: 'broken',
  title: 'A step that fails',
  check: async () => ({ done: false, summary: '' }),
  plan: async () => ({
    changes: [{ kind: 'command', summary: 'run false', argv: ['false'], sudo: false }],
    notes: [],
  }),
  async apply(ctx) {
    await ctx.host.run(['false'])
  },
  verify: async () => undefined,
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
})
