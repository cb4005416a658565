import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chmod, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { HistoryStore } from '../../src-main/app-data/history-store'
import { ensureCliBuilt, jsonLines, runPipMirror } from '../testbed/cli'
import { startMirrorHostBed, type MirrorHostBed } from '../testbed/mirror-host'
import { addNonLoopbackAddress, removeNonLoopbackAddress } from '../testbed/local-address'
import { installOlStandin } from '../testbed/worker-hosts'
import { freePort } from '../testbed/processes'
import { ensureTestUsers } from '../testbed/users'

/**
 * `pip-mirror doctor`, `repair`, and `apply` with workers, through the real command. The `ol`
 * binary is a stand-in (test/standins/ol); the mirror, nginx, pip and the worker's config.json
 * are real.
 */
let bed: MirrorHostBed
let accept: string[]
let sitePath: string
let directory: string
let workerDir: string

beforeAll(async () => {
  await ensureTestUsers()
  await ensureCliBuilt()
  bed = await startMirrorHostBed()
  accept = ['--known-hosts', bed.knownHosts, '--accept-host-key', bed.sshd.hostKeyFingerprint]
  const address = await addNonLoopbackAddress()
  const created = await bed.newSite({ listen: `${address}:${await freePort()}` })
  directory = created.directory
  workerDir = `/srv/pmw-cli-worker-${created.port}`
  const ol = await installOlStandin(bed.work)
  const input = JSON.parse(await readFile(created.path, 'utf8')) as Record<string, unknown> & {
    mirror: { ssh: Record<string, unknown> }
  }
  input.workers = [
    { ssh: input.mirror.ssh, workerDir, ol, baseImage: 'ol-min', registryRequirements: ['alpha'] },
  ]
  sitePath = join(bed.work, 'site-with-worker.json')
  await writeFile(sitePath, JSON.stringify(input, null, 2))
}, 600_000)

afterAll(async () => {
  await runPipMirror(['apply', '--yes', '--only', 'workers', '--site', sitePath, ...accept]).catch(
    () => undefined,
  )
  await rm(workerDir, { recursive: true, force: true })
  await bed?.stop()
  await removeNonLoopbackAddress()
})

describe("apply with workers (OpenLambda's `ol`: the stand-in)", () => {
  it('builds the mirror, then points the worker at it and starts it, with one status line per host', async () => {
    const result = await runPipMirror(['apply', '--yes', '--site', sitePath, ...accept])
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0)
    expect(result.stdout).toMatch(/Workers: 1 host\(s\)/)
    expect(result.stdout).toMatch(/1 host.*1 changed/)
    const config = JSON.parse(await readFile(join(workerDir, 'config.json'), 'utf8')) as {
      pip_mirror: string
    }
    const site = JSON.parse(await readFile(sitePath, 'utf8')) as {
      mirror: { serve: { listen: string } }
    }
    expect(config.pip_mirror).toBe(`http://${site.mirror.serve.listen}/pypi`)
  })

  it('a second apply changes nothing on the mirror or the worker', async () => {
    const result = await runPipMirror(['apply', '--yes', '--json', '--site', sitePath, ...accept])
    expect(result.code, result.stderr).toBe(0)
    const events = jsonLines(result.stdout)
    const mirror = events.find((e) => e.type === 'summary') as { steps: { changes: number }[] }
    const workers = events.find((e) => e.type === 'workers-summary') as {
      hosts: { state: string; changes: number }[]
    }
    expect(mirror.steps.every((s) => s.changes === 0)).toBe(true)
    expect(workers.hosts.map((h) => [h.state, h.changes])).toEqual([['ok', 0]])
  })
})

describe("doctor and repair (OpenLambda's `ol`: the stand-in)", () => {
  it('doctor finds nothing wrong on a healthy site', async () => {
    const result = await runPipMirror(['doctor', '--site', sitePath, ...accept])
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0)
    expect(result.stdout).toMatch(/The mirror serves: nothing blocks nginx/)
    expect(result.stdout).toMatch(/nothing wrong: the dry install from the mirror works/)
  })

  it('doctor names a directory nginx cannot read, repair fixes it with the least change', async () => {
    const simple = join(directory, 'web', 'simple')
    const before = await stat(simple)
    await chmod(simple, 0o700)
    const diagnosed = await runPipMirror([
      'doctor',
      '--site',
      sitePath,
      '--only',
      'mirror',
      ...accept,
    ])
    expect(diagnosed.code).toBe(1)
    expect(diagnosed.stdout).toMatch(/-> 403/)
    expect(diagnosed.stdout).toMatch(/cannot be listed and entered by www-data/)
    expect(diagnosed.stdout).toMatch(/simple \(root:root 0700 drwx------\)/)

    const dataDir = join(bed.work, 'app-data')
    const repair = ['repair', '--yes', '--site', sitePath, '--data-dir', dataDir, ...accept]
    const repaired = await runPipMirror(repair)
    expect(repaired.code, `${repaired.stdout}\n${repaired.stderr}`).toBe(0)
    expect(repaired.stdout).toMatch(/Repaired: nginx reads the mirror again/)
    const after = await stat(simple)
    expect(after.mode & 0o777).toBe(0o705)
    expect([after.uid, after.gid]).toEqual([before.uid, before.gid])

    const again = await runPipMirror(repair)
    expect(again.code).toBe(0)
    expect(again.stdout).toMatch(/Nothing to repair/)

    // Both repairs are in the activity history, with the chmod the first one ran.
    const history = new HistoryStore(dataDir)
    const repairs = await history.list({ text: 'pip-mirror repair' })
    expect(repairs.map((run) => [run.face, run.status])).toEqual([
      ['cli', 'ok'],
      ['cli', 'changed'],
    ])
    const first = await history.get(repairs[1]?.id ?? '')
    expect(first?.commands.map((line) => line.line).join('\n')).toContain('chmod')
  })

  it('repair refuses to run without a terminal unless --yes is given', async () => {
    const result = await runPipMirror(['repair', '--site', sitePath, ...accept])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/pass --yes/)
  })
})
