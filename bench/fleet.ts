/**
 * 20 OpenLambda worker hosts (20 real sshd instances) set up against one mirror: all at once
 * with bounded parallelism, beside one after another. Run: npm run bench -- fleet
 * (`ol` is the stand-in from test/standins/ol: it creates the worker directory and answers.)
 */
import { mkdir, readFile, rm } from 'node:fs/promises'
import { parseSite, type SiteInput } from '../src-main/engine/site'
import { applyWorkers } from '../src-main/engine/workers'
import { ensureCliBuilt, runPipMirror } from '../test/testbed/cli'
import { startMirrorHostBed } from '../test/testbed/mirror-host'
import { addNonLoopbackAddress, removeNonLoopbackAddress } from '../test/testbed/local-address'
import { freePort } from '../test/testbed/processes'
import { startSshd, type TestSshd } from '../test/testbed/sshd'
import {
  installOlStandin,
  sshTargetOf,
  stopStandinWorkers,
  testConnect,
} from '../test/testbed/worker-hosts'

const HOSTS = 20

async function main(): Promise<void> {
  await ensureCliBuilt()
  const bed = await startMirrorHostBed()
  const sshds: TestSshd[] = []
  const workRoot = '/srv/pmw-bench-fleet'
  const rows: string[] = []
  try {
    const address = await addNonLoopbackAddress()
    const created = await bed.newSite({ listen: `${address}:${await freePort()}` })
    const applied = await runPipMirror([
      'apply',
      '--yes',
      '--site',
      created.path,
      '--known-hosts',
      bed.knownHosts,
      '--accept-host-key',
      bed.sshd.hostKeyFingerprint,
    ])
    if (applied.code !== 0)
      throw new Error(`the mirror did not build:\n${applied.stdout}\n${applied.stderr}`)
    for (let i = 0; i < HOSTS; i++) {
      const sshd = await startSshd()
      await sshd.authorize('root', bed.key)
      sshds.push(sshd)
    }
    const ol = await installOlStandin(bed.work)
    const connect = testConnect([bed.sshd, ...sshds], bed.key, bed.knownHosts)
    const input = JSON.parse(await readFile(created.path, 'utf8')) as SiteInput

    const run = async (label: string, concurrency: number): Promise<number> => {
      await stopStandinWorkers(workRoot)
      await rm(workRoot, { recursive: true, force: true })
      await mkdir(workRoot, { recursive: true })
      const site = parseSite({
        ...input,
        workers: sshds.map((sshd, i) => ({
          ssh: sshTargetOf(sshd),
          workerDir: `${workRoot}/${label}-${i}`,
          ol,
          baseImage: 'ol-min',
          registryRequirements: ['alpha'],
        })),
      })
      const start = performance.now()
      const summary = await applyWorkers(site, connect, { concurrency }, () => undefined)
      const ms = performance.now() - start
      if (summary.status === 'failed')
        throw new Error(
          `${label}: ${JSON.stringify(summary.hosts.filter((h) => h.state === 'failed'))}`,
        )
      return ms
    }
    // Interleaved, so a burst of load on this shared machine hits every setting alike.
    const samples: Record<string, number[]> = { one: [], four: [], eight: [] }
    for (let round = 0; round < 2; round++) {
      samples.one?.push(await run('one', 1))
      samples.four?.push(await run('four', 4))
      samples.eight?.push(await run('eight', 8))
    }
    const best = (values: number[]) => Math.min(...values)
    const one = best(samples.one as number[])
    for (const [label, concurrency] of [
      ['one', 1],
      ['four', 4],
      ['eight', 8],
    ] as const) {
      const ms = best(samples[label] as number[])
      rows.push(
        `| ${concurrency} | ${(ms / 1000).toFixed(1)} s | ${(ms / HOSTS / 1000).toFixed(2)} s | ${(one / ms).toFixed(2)}× |`,
      )
    }
  } finally {
    await stopStandinWorkers(workRoot)
    await rm(workRoot, { recursive: true, force: true })
    for (const sshd of sshds) await sshd.stop()
    await bed.stop()
    await removeNonLoopbackAddress()
  }
  console.log(
    `${HOSTS} worker hosts, first apply on each (ol worker init, pip_mirror, resolve, start), best of 2:\n`,
  )
  console.log('| hosts at once | wall time | per host | speed-up vs one at a time |')
  console.log('| --- | --- | --- | --- |')
  for (const row of rows) console.log(row)
}

await main()
