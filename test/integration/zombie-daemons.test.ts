import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { probeFacts } from '../../src-main/engine/remote/facts'
import { probeCronDaemon } from '../../src-main/engine/schedule/cron-daemon'
import type { RemoteHost } from '../../src-main/engine/ssh/remote-host'
import { connectAsRoot } from '../testbed/bed-logins'
import { cronDaemonPid } from '../testbed/cron-host'
import { startMirrorHostBed, type MirrorHostBed } from '../testbed/mirror-host'
import { sh, waitFor } from '../testbed/processes'

/**
 * A daemon that exited but was never reaped is a zombie that still has its name in /proc. In a
 * container whose first process reaps nothing (this machine's), every stopped cron and every
 * nginx master that quit stays one. The probes must not take it for a running daemon, or the
 * product would not start cron (and no scheduled sync would ever run) or nginx.
 */
let bed: MirrorHostBed
let host: RemoteHost
let dir: string
let parent: ChildProcess | null = null

/** Zombies named `names`: children of a process that never waits for them. */
async function zombies(names: string[]): Promise<void> {
  for (const name of names) await copyFile('/bin/true', join(dir, name))
  const script = `${names.map((n) => `"${dir}/${n}" &`).join(' ')} exec sleep 60`
  parent = spawn('sh', ['-c', script], { stdio: 'ignore' })
  await waitFor(async () => {
    const found: string[] = []
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue
      const status = await readFile(`/proc/${entry}/status`, 'utf8').catch(() => '')
      const name = /^Name:\s*(\S+)/m.exec(status)?.[1]
      if (name && names.includes(name) && /^State:\s*Z/m.test(status)) found.push(name)
    }
    return names.every((name) => found.includes(name))
  }, 'the zombies')
}

beforeAll(async () => {
  bed = await startMirrorHostBed()
  host = await connectAsRoot(bed)
  dir = await mkdtemp(join(tmpdir(), 'pmw-zombies-'))
})

afterAll(async () => {
  parent?.kill()
  host?.close()
  await bed?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('daemons that exited but were never reaped', () => {
  it('a zombie named cron is no cron daemon', async () => {
    await zombies(['cron'])
    const real = await cronDaemonPid()
    expect((await probeCronDaemon(host)).running).toBe(real !== null)
    // Where a real cron runs the zombie cannot be told apart here; in CI none does at this point.
    if (real !== null) console.warn('a real cron runs: the zombie case was not discriminated')
  })

  it('a zombie named nginx is no nginx: facts say it is not running once nginx has quit', async () => {
    const wasRunning = (await probeFacts(host)).nginx.running
    await sh('sh', ['-c', 'nginx -s quit 2>/dev/null; true'])
    await waitFor(
      async () => !/^\s*\d+\s+nginx: master/m.test(await sh('ps', ['-eo', 'pid,args'])),
      'nginx to quit',
    )
    parent?.kill()
    await zombies(['nginx'])
    try {
      expect((await probeFacts(host)).nginx.running).toBe(false)
    } finally {
      if (wasRunning) await sh('nginx', [])
    }
    if (wasRunning) expect((await probeFacts(host)).nginx.running).toBe(true)
  })
})
