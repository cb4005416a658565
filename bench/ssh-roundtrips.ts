/**
 * How many network round trips the facts probe and a 10-command step take over the engine's one
 * reused connection, beside the same work done with one `ssh` process per command, on a link with
 * 50 ms of added round-trip delay (and with none). Run: npm run bench -- ssh-roundtrips
 */
import { mkdtemp, rm, chmod, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RemoteHost } from '../src-main/engine/ssh/remote-host'
import { probeFacts } from '../src-main/engine/remote/facts'
import { makeClientKey, startSshd } from '../test/testbed/sshd'
import { startLatencyProxy, type LatencyProxy } from '../test/testbed/latency-proxy'
import { sh } from '../test/testbed/processes'
import { commandLine } from '../src-main/engine/remote/quote'

const STEP_COMMANDS: string[][] = Array.from({ length: 10 }, (_, i) => ['test', '-d', `/tmp/${i}`])
/** The facts a hand-written script asks one `ssh` at a time. */
const NAIVE_FACT_COMMANDS: string[][] = [
  ['cat', '/etc/os-release'],
  ['id', '-u'],
  ['sh', '-c', 'command -v apt-get || command -v dnf'],
  ['test', '-d', '/run/systemd/system'],
  ['python3', '--version'],
  ['python3', '-c', 'import venv, ensurepip'],
  ['df', '-Pk', '/srv'],
  ['sh', '-c', 'command -v nginx || ls /usr/sbin/nginx'],
  ['sh', '-c', 'pgrep -a nginx || true'],
  ['sh', '-c', 'ip -4 -o addr show'],
]

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
  const dir = await mkdtemp(join(tmpdir(), 'pmw-bench-'))
  await chmod(dir, 0o755)
  const key = await makeClientKey(dir, 'key')
  await sshd.authorize('root', key)
  const rows: string[] = []
  try {
    for (const rtt of [0, 50]) {
      const proxy = await startLatencyProxy({ host: sshd.host, port: sshd.port }, rtt)
      const knownHosts = join(dir, `known_hosts_${rtt}`)
      await writeFile(
        knownHosts,
        `[127.0.0.1]:${proxy.port} ${(await sh('cat', [`${sshd.hostKeyPath}.pub`])).split(' ').slice(0, 2).join(' ')}\n`,
      )
      const sshArgs = (argv: string[]): string[] => [
        '-o',
        'BatchMode=yes',
        '-o',
        `UserKnownHostsFile=${knownHosts}`,
        '-o',
        'StrictHostKeyChecking=yes',
        '-o',
        'ControlMaster=no',
        '-o',
        'ControlPath=none',
        '-i',
        key.path,
        '-p',
        String(proxy.port),
        'root@127.0.0.1',
        commandLine(argv),
      ]
      const perProcess = async (commands: string[][]): Promise<void> => {
        for (const argv of commands) await sh('ssh', sshArgs(argv)).catch(() => undefined)
      }

      let host: RemoteHost | undefined
      const connectM = await measure(proxy, async () => {
        host = await RemoteHost.connect(
          { host: '127.0.0.1', port: proxy.port, user: 'root', identityFile: key.path },
          { credentials: {}, trust: { knownHostsPath: knownHosts } },
        )
        await host.identity()
      })
      const engine = host as RemoteHost
      const factsM = await measure(proxy, () => probeFacts(engine, '/srv/pypi'))
      const stepM = await measure(proxy, async () => {
        for (const argv of STEP_COMMANDS) await engine.exec(argv)
      })
      engine.close()
      const naiveFactsM = await measure(proxy, () => perProcess(NAIVE_FACT_COMMANDS))
      const naiveStepM = await measure(proxy, () => perProcess(STEP_COMMANDS))
      await proxy.stop()

      const row = (what: string, m: Measure, base?: Measure): string =>
        `| ${rtt} ms | ${what} | ${m.roundTrips} | ${m.connections} | ${m.ms.toFixed(0)} ms | ${base ? `${(m.ms / base.ms).toFixed(1)}×` : ''} |`
      rows.push(row('engine: connect + login (once per host)', connectM))
      rows.push(row('engine: facts probe', factsM))
      rows.push(row('ssh per command: the same facts (10 commands)', naiveFactsM, factsM))
      rows.push(row('engine: 10-command step', stepM))
      rows.push(row('ssh per command: 10-command step', naiveStepM, stepM))
    }
  } finally {
    await sshd.stop()
    await rm(dir, { recursive: true, force: true })
  }
  console.log('| added RTT | work | round trips | TCP connections | wall time | time vs engine |')
  console.log('| --- | --- | --- | --- | --- | --- |')
  for (const row of rows) console.log(row)
}

await main()
