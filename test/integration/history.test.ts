import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HistoryStore } from '../../src-main/app-data/history-store'
import { REDACTED } from '../../src-main/app-data/redact'
import { runSteps, type RunEvent } from '../../src-main/engine/run'
import { loadSiteFile } from '../../src-main/engine/site-file'
import { MIRROR_STEPS } from '../../src-main/engine/steps/mirror-steps'
import type { Step } from '../../src-main/engine/steps/step'
import { connectAsSudoer, sudoerSiteFile } from '../testbed/bed-logins'
import { startMirrorHostBed, type MirrorHostBed } from '../testbed/mirror-host'
import { sh } from '../testbed/processes'
import { ensureTestUsers, SUDOER } from '../testbed/users'

/**
 * A whole apply as a user whose sudo needs a password, recorded into the history as the app
 * records it; then the history's files, and its exports, are searched for the password.
 */
let bed: MirrorHostBed
let base: string

beforeAll(async () => {
  await ensureTestUsers()
  bed = await startMirrorHostBed()
  base = await mkdtemp(join(tmpdir(), 'pmw-history-'))
})

afterAll(async () => {
  await bed?.stop()
  if (base) await rm(base, { recursive: true, force: true })
})

/**
 * A tool that prints its environment, as misbehaving tools do: it puts the password into the
 * output the recorder sees, so that finding it absent means something.
 */
const leakyToolStep: Step = {
  id: 'leaky-tool',
  title: 'A tool that echoes its environment',
  plan: async () => ({
    changes: [
      {
        kind: 'command',
        summary: 'print the environment',
        argv: [
          'env',
          `PIP_MIRROR_SUDO_PASSWORD=${SUDOER.password}`,
          'sh',
          '-c',
          'echo "PIP_MIRROR_SUDO_PASSWORD=$PIP_MIRROR_SUDO_PASSWORD"; echo "the password is $PIP_MIRROR_SUDO_PASSWORD."',
        ],
        sudo: false,
      },
    ],
    notes: [],
  }),
}

describe('the activity history', () => {
  it('records an apply made with a sudo password, and no file it writes holds the password', async () => {
    const created = await bed.newSite()
    const site = await loadSiteFile(await sudoerSiteFile(bed, created))
    const store = new HistoryStore(base)
    const recording = store.record({
      face: 'wizard',
      action: 'apply',
      host: `${SUDOER.name}@${bed.sshd.host}:${bed.sshd.port}`,
      site: 'history-test',
      secrets: [SUDOER.password],
    })
    const seen: RunEvent[] = []
    const host = await connectAsSudoer(bed)
    let status: string
    try {
      const summary = await runSteps(
        [...MIRROR_STEPS, leakyToolStep],
        host,
        site,
        { mode: 'apply' },
        (event) => {
          seen.push(event)
          recording.emit(event)
        },
      )
      status = summary.status
      expect(summary.status, summary.error).toBe('changed')
    } finally {
      host.close()
    }
    const run = await recording.finish()
    // The raw events did carry it: the tool printed it.
    expect(JSON.stringify(seen)).toContain(SUDOER.password)
    expect(run.status).toBe(status)

    // What was recorded: the steps, the commands sudo ran, the log, the redaction marks.
    expect(run.steps.map((s) => s.id)).toEqual([...MIRROR_STEPS.map((s) => s.id), 'leaky-tool'])
    expect(run.steps.every((s) => s.status === 'changed' || s.status === 'ok')).toBe(true)
    expect(run.commands.some((c) => c.line.startsWith('(as root) $ '))).toBe(true)
    expect(run.commands.some((c) => c.line.includes('bandersnatch'))).toBe(true)
    expect(run.log.map((l) => l.line)).toEqual(
      expect.arrayContaining([
        `PIP_MIRROR_SUDO_PASSWORD=${REDACTED}`,
        `the password is ${REDACTED}.`,
      ]),
    )

    await store.exportToFile([run.id], 'text', join(base, 'exports', 'ticket.txt'))
    await store.exportToFile([run.id], 'json', join(base, 'exports', 'ticket.json'))
    const found = await store.list({ text: 'bandersnatch', host: SUDOER.name })
    expect(found.map((r) => r.id)).toEqual([run.id])

    // grep exits 1 when nothing matches: every file under the app's data, exports included.
    const leaked = await sh('grep', ['-rlF', SUDOER.password, base]).catch(
      (error: { code?: number }) => (error.code === 1 ? '' : Promise.reject(error)),
    )
    expect(leaked).toBe('')
    const files = (await sh('find', [base, '-type', 'f'])).trim().split('\n')
    expect(files.filter((f) => f.includes('/history/'))).toHaveLength(1)
    expect(files.filter((f) => f.includes('/exports/'))).toHaveLength(2)
    expect(await sh('grep', ['-rlF', REDACTED, base])).not.toBe('')
  })
})
