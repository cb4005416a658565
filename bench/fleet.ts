/**
 * 20 OpenLambda worker hosts (20 real sshd instances, each behind its own link) set up against
 * one mirror: with bounded parallelism beside one after another, with 0 and 50 ms of added
 * round-trip delay. Run: npm run bench -- fleet (ROUNDS=n, default 2)
 * (`ol` is the stand-in from test/standins/ol: it creates the worker directory and answers.)
 */
import { mkdir, readFile, rm } from 'node:fs/promises'
import { parseSite, type SiteInput } from '#shared/site'
import { applyWorkers, type Connect } from '../src-main/engine/workers'
import { ensureCliBuilt, runPipMirror } from '../test/testbed/cli'
import { startMirrorHostBed } from '../test/testbed/mirror-host'
import { addNonLoopbackAddress, removeNonLoopbackAddress } from '../test/testbed/local-address'
import { startLatencyProxy, type LatencyProxy } from '../test/testbed/latency-proxy'
import { freePort } from '../test/testbed/processes'
import { startSshd, type TestSshd } from '../test/testbed/sshd'
import { installOlStandin, stopStandinWorkers, testConnect } from '../test/testbed/worker-hosts'

const HOSTS = 20
const SETTINGS = [1, 4, 8]
const ROUNDS = Number(process.env.ROUNDS ?? 2)
const WORK_ROOT = '/srv/pmw-bench-fleet'

async function timedApply(
  input: SiteInput,
  hosts: { host: string; port: number }[],
  ol: string,
  connect: Connect,
  concurrency: number,
): Promise<number> {
  await stopStandinWorkers(WORK_ROOT)
  await rm(WORK_ROOT, { recursive: true, force: true })
  await mkdir(WORK_ROOT, { recursive: true })
  const site = parseSite({
    ...input,
    workers: hosts.map((target, i) => ({
      ssh: { host: target.host, port: target.port, user: 'root' },
      workerDir: `${WORK_ROOT}/worker-${i}`,
      ol,
      baseImage: 'ol-min',
      registryRequirements: ['alpha'],
    })),
  })
  const start = performance.now()
  const summary = await applyWorkers(site, connect, { concurrency }, () => undefined)
  const ms = performance.now() - start
  if (summary.status === 'failed')
    throw new Error(JSON.stringify(summary.hosts.filter((h) => h.state === 'failed')))
  return ms
}

async function main(): Promise<void> {
  await ensureCliBuilt()
  const bed = await startMirrorHostBed()
  const sshds: TestSshd[] = []
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
    const input = JSON.parse(await readFile(created.path, 'utf8')) as SiteInput
    for (const rtt of [0, 50]) {
      const proxies: LatencyProxy[] = await Promise.all(
        sshds.map((s) => startLatencyProxy({ host: s.host, port: s.port }, rtt)),
      )
      // The connect helper looks each target up by port: the relays stand for their sshd.
      const relayed = proxies.map((proxy, i) =>
        Object.assign(Object.create(sshds[i] as TestSshd) as TestSshd, { port: proxy.port }),
      )
      const connect = testConnect(relayed, bed.key, bed.knownHosts)
      // Interleaved rounds, so a burst of load on this shared machine hits every setting alike.
      const samples = new Map<number, number[]>(SETTINGS.map((c) => [c, []]))
      for (let round = 0; round < ROUNDS; round++)
        for (const concurrency of SETTINGS)
          samples.get(concurrency)?.push(await timedApply(input, relayed, ol, connect, concurrency))
      const best = new Map([...samples].map(([c, v]) => [c, Math.min(...v)]))
      const sequential = best.get(1) as number
      for (const [concurrency, ms] of best)
        rows.push(
          `| ${rtt} ms | ${concurrency} | ${(ms / 1000).toFixed(1)} s | ${(ms / HOSTS / 1000).toFixed(2)} s | ${(sequential / ms).toFixed(2)}× |`,
        )
      for (const proxy of proxies) await proxy.stop()
    }
  } finally {
    await stopStandinWorkers(WORK_ROOT)
    await rm(WORK_ROOT, { recursive: true, force: true })
    for (const sshd of sshds) await sshd.stop()
    await bed.stop()
    await removeNonLoopbackAddress()
  }
  console.log(
    `${HOSTS} worker hosts, first apply on each (ol worker init, pip_mirror, resolve, start), best of ${ROUNDS}:\n`,
  )
  console.log('| added RTT | hosts at once | wall time | per host | speed-up vs one at a time |')
  console.log('| --- | --- | --- | --- | --- |')
  for (const row of rows) console.log(row)
}

await main()
