/**
 * The audit of a mirror of 1,000 pinned releases (1,250 files): the round trips to the mirror
 * host, the requests to the upstream and the time per pin, over the engine's one connection
 * through a relay that adds 0 or 50 ms of round-trip delay; beside hashing the same files one
 * command per file over that same connection. Run: npm run bench -- audit
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { auditMirror, type AuditReport } from '../src-main/engine/audit'
import { parseSite } from '#shared/site'
import { RemoteHost } from '../src-main/engine/ssh/remote-host'
import { startLatencyProxy, type LatencyProxy } from '../test/testbed/latency-proxy'
import { execFileAsync, sh } from '../test/testbed/processes'
import { startPypiStandin, SYSTEM_PYTHON } from '../test/testbed/pypi-standin'
import { makeClientKey, startSshd } from '../test/testbed/sshd'
import { StandinAdvisories } from '../test/testbed/standin-advisories'

const PINS = 1000
/** Files hashed one command each, to compare per file (all 1,250 would take minutes at 50 ms). */
const SAMPLE_FILES = 100
const MAKE_MIRROR = fileURLToPath(new URL('./audit/make-mirror.py', import.meta.url))

interface Measure {
  ms: number
  roundTrips: number
  connections: number
}

async function measure(proxy: LatencyProxy, work: () => Promise<unknown>): Promise<Measure> {
  proxy.reset()
  const start = performance.now()
  await work()
  return {
    ms: performance.now() - start,
    roundTrips: proxy.roundTrips(),
    connections: proxy.connections(),
  }
}

async function main(): Promise<void> {
  const sshd = await startSshd()
  const dir = await mkdtemp(join(tmpdir(), 'pmw-bench-audit-'))
  await chmod(dir, 0o755)
  const key = await makeClientKey(dir, 'key')
  await sshd.authorize('root', key)
  const wheels = join(dir, 'wheels')
  const mirrorDir = join(dir, 'mirror')
  const advisories = new StandinAdvisories(join(dir, 'advisories.json'))
  // The mirror's saved JSON names the upstream it came from; the stand-in's port is not known
  // yet, and nothing in the audit reads that URL.
  const { stdout } = await execFileAsync(SYSTEM_PYTHON, [
    '-B',
    MAKE_MIRROR,
    String(PINS),
    wheels,
    mirrorDir,
    'http://upstream.invalid',
  ])
  const files = Number(stdout.trim())
  for (let i = 0; i < PINS; i += 100)
    await advisories.publishAdvisory(`bench${String(i).padStart(4, '0')}==1.0`, {
      id: `PYSEC-BENCH-${i}`,
      summary: 'a benchmark advisory',
      fixed_in: ['1.1'],
    })
  const upstream = await startPypiStandin({ wheelsDir: wheels, advisoriesFile: advisories.path })
  const rows: string[] = []
  try {
    for (const rtt of [0, 50]) {
      const proxy = await startLatencyProxy({ host: sshd.host, port: sshd.port }, rtt)
      const knownHosts = join(dir, `known_hosts_${rtt}`)
      await writeFile(
        knownHosts,
        `[127.0.0.1]:${proxy.port} ${(await sh('cat', [`${sshd.hostKeyPath}.pub`])).split(' ').slice(0, 2).join(' ')}\n`,
      )
      const site = parseSite({
        mirror: {
          ssh: { host: '127.0.0.1', port: proxy.port, user: 'root', identityFile: key.path },
          directory: mirrorDir,
          upstream: upstream.url,
          allowNonHttps: true,
          requirements: ['bench0000'],
          serve: { listen: '127.0.0.1:8080' },
        },
      })
      const host = await RemoteHost.connect(site.mirror.ssh, {
        credentials: {},
        trust: { knownHostsPath: knownHosts },
      })
      try {
        await host.identity()
        let online: AuditReport | undefined
        await upstream.clearRequests()
        const onlineM = await measure(proxy, async () => {
          online = await auditMirror(host, site)
        })
        const upstreamRequests = (await upstream.requests()).length
        let offline: AuditReport | undefined
        const offlineM = await measure(proxy, async () => {
          offline = await auditMirror(host, site, { offline: true })
        })
        const sample = (online?.releases ?? [])
          .flatMap((r) => r.files.map((f) => join(mirrorDir, 'web', f.path)))
          .slice(0, SAMPLE_FILES)
        const perFileM = await measure(proxy, async () => {
          for (const path of sample) await host.exec(['sha256sum', '--', path], { quiet: true })
        })
        const c = online?.counts
        if (!c || c.releases !== PINS || c.files !== files || c.mismatched !== 0)
          throw new Error(`the audit did not see the mirror as built: ${JSON.stringify(c)}`)
        if (c.vulnerable !== PINS / 100 || offline?.counts.releases !== PINS)
          throw new Error(`the audit missed the advisories: ${JSON.stringify(c)}`)
        const perPin = (m: Measure): string => `${(m.ms / PINS).toFixed(2)} ms`
        rows.push(
          `| ${rtt} ms | audit, upstream asked (one command hashes all ${files} files) | ${onlineM.roundTrips} | ${upstreamRequests} | ${(onlineM.ms / 1000).toFixed(1)} s | ${perPin(onlineM)} |`,
          `| ${rtt} ms | audit, offline (the mirror's saved JSON) | ${offlineM.roundTrips} | 0 | ${(offlineM.ms / 1000).toFixed(1)} s | ${perPin(offlineM)} |`,
          `| ${rtt} ms | one \`sha256sum\` command per file, same connection (${SAMPLE_FILES} files measured, × ${files / SAMPLE_FILES} for all) | ${Math.round((perFileM.roundTrips * files) / SAMPLE_FILES)} | 0 | ${((perFileM.ms * files) / SAMPLE_FILES / 1000).toFixed(1)} s | ${((perFileM.ms * files) / SAMPLE_FILES / PINS).toFixed(2)} ms |`,
        )
      } finally {
        host.close()
        await proxy.stop()
      }
    }
  } finally {
    await upstream.stop()
    await sshd.stop()
    await rm(dir, { recursive: true, force: true })
  }
  console.log(
    `| added RTT | work (${PINS} pins, ${files} files) | round trips to the mirror host | requests to the upstream | wall time | time per pin |`,
  )
  console.log('| --- | --- | --- | --- | --- | --- |')
  for (const row of rows) console.log(row)
}

await main()
