/**
 * A converged host (the mirror already set up): `pip-mirror plan` and `pip-mirror apply` beside
 * an Ansible playbook doing the same steps in check mode (bench/ansible/mirror.yml), over the same
 * sshd with 0 ms and 50 ms of added round-trip delay, with the network round trips each took
 * (counted by the relay; the login alone is measured too). BEFORE_CLI=path/to/bin/pip-mirror.js
 * adds an earlier build's plan beside today's. Run: npm run bench -- converged-apply
 */
import { mkdir, writeFile, readFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { ensureCliBuilt, runPipMirror, runPipMirrorAt } from '../test/testbed/cli'
import { RemoteHost } from '../src-main/engine/ssh/remote-host'
import { startMirrorHostBed } from '../test/testbed/mirror-host'
import { startLatencyProxy } from '../test/testbed/latency-proxy'
import { execFileAsync } from '../test/testbed/processes'
import { parseSite } from '#shared/site'
import { bandersnatchConfFor } from '../src-main/engine/steps/bandersnatch-config'
import { nginxSiteFor, nginxSitePaths } from '../src-main/engine/steps/nginx'
import { requirementsInText } from '../src-main/engine/steps/resolve-requirements'
import { chooseBandersnatch, UV_VERSION } from '../src-main/engine/steps/bandersnatch-release'
import { mirrorUrl } from '#shared/site'

const ANSIBLE_VENV = join(process.cwd(), '.cache/ansible-venv')
const RUNS = 3

async function ensureAnsible(): Promise<string> {
  const bin = join(ANSIBLE_VENV, 'bin/ansible-playbook')
  if (!existsSync(bin)) {
    await execFileAsync('/usr/bin/python3', ['-m', 'venv', ANSIBLE_VENV])
    await execFileAsync(join(ANSIBLE_VENV, 'bin/pip'), ['install', '-q', 'ansible-core'])
  }
  return bin
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now()
  await work()
  return performance.now() - start
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

async function main(): Promise<void> {
  const ansible = await ensureAnsible()
  await ensureCliBuilt()
  const bed = await startMirrorHostBed()
  const rows: string[] = []
  try {
    const site = await bed.newSite()
    const accept = [
      '--known-hosts',
      bed.knownHosts,
      '--accept-host-key',
      bed.sshd.hostKeyFingerprint,
    ]
    const setup = await runPipMirror(['apply', '--yes', '--site', site.path, ...accept])
    if (setup.code !== 0)
      throw new Error(`setting up the mirror failed:\n${setup.stdout}\n${setup.stderr}`)
    const parsed = parseSite(JSON.parse(await readFile(site.path, 'utf8')))
    const files = join(bed.work, 'ansible')
    await mkdir(files, { recursive: true })
    await writeFile(join(files, 'bandersnatch.conf'), bandersnatchConfFor(parsed.mirror))
    await writeFile(join(files, 'site.conf'), nginxSiteFor(parsed.mirror))
    await writeFile(
      join(files, 'requirements.in'),
      requirementsInText(parsed.mirror.requirements ?? []),
    )

    for (const rtt of [0, 50]) {
      const proxy = await startLatencyProxy({ host: bed.sshd.host, port: bed.sshd.port }, rtt)
      const viaProxy = JSON.parse(await readFile(site.path, 'utf8')) as {
        mirror: { ssh: { port: number } }
      }
      viaProxy.mirror.ssh.port = proxy.port
      const sitePath = join(bed.work, `proxy-${rtt}.json`)
      await writeFile(sitePath, JSON.stringify(viaProxy))
      const inventory = join(files, `inventory-${rtt}`)
      await writeFile(
        inventory,
        `mirror ansible_host=127.0.0.1 ansible_port=${proxy.port} ansible_user=root ansible_ssh_private_key_file=${bed.key.path} ansible_python_interpreter=/usr/bin/python3\n`,
      )
      const extraVars = JSON.stringify({
        bandersnatch_version: chooseBandersnatch('3.11')?.version,
        uv_version: UV_VERSION,
        mirror_dir: site.directory,
        requirements_in_file: join(files, 'requirements.in'),
        conf_file: join(files, 'bandersnatch.conf'),
        site_file: join(files, 'site.conf'),
        site_name: nginxSitePaths(parsed.mirror).name,
        upstream: bed.upstream.url,
        mirror_url: mirrorUrl(parsed.mirror),
      })
      const playbook = (pipelining: boolean) => async () => {
        const { stdout } = await execFileAsync(
          ansible,
          ['-i', inventory, '--check', '-e', extraVars, 'bench/ansible/mirror.yml'],
          {
            env: {
              ...process.env,
              ANSIBLE_HOST_KEY_CHECKING: 'False',
              ANSIBLE_PIPELINING: pipelining ? 'True' : 'False',
              ANSIBLE_SSH_CONTROL_PATH_DIR: join(files, `cp-${rtt}-${pipelining}`),
            },
            maxBuffer: 64 * 1024 * 1024,
          },
        )
        if (!/changed=0 /.test(stdout))
          throw new Error(`the playbook wants changes on a converged host:\n${stdout}`)
      }
      const cli = (command: 'plan' | 'apply', build?: string) => async () => {
        const args = [command, '--yes', '--site', sitePath, '--json', ...accept]
        const result = build ? await runPipMirrorAt(build, args) : await runPipMirror(args)
        if (result.code !== 0)
          throw new Error(`pip-mirror ${command} failed:\n${result.stdout}\n${result.stderr}`)
        const lines = result.stdout
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as Record<string, unknown>)
        const summary = (lines.findLast((line) => line.type === 'summary') ?? lines.at(-1)) as {
          steps: { changes: number }[]
        }
        if (summary.steps.some((s) => s.changes > 0))
          throw new Error(`pip-mirror ${command} wants changes on a converged host`)
      }
      // Runs interleaved, so a burst of load on this shared machine hits every tool alike.
      const samples: Record<string, number[]> = {
        plan: [],
        before: [],
        apply: [],
        ansible: [],
        ansiblePipelining: [],
      }
      const trips: Record<string, number> = {}
      const counted = async (name: string, work: () => Promise<unknown>): Promise<number> => {
        proxy.reset()
        const ms = await timed(work)
        trips[name] = proxy.roundTrips()
        return ms
      }
      const before = process.env.BEFORE_CLI
      for (let i = 0; i < RUNS; i++) {
        samples.plan?.push(await counted('plan', cli('plan')))
        if (before) samples.before?.push(await counted('before', cli('plan', before)))
        samples.apply?.push(await counted('apply', cli('apply')))
        samples.ansible?.push(await counted('ansible', playbook(false)))
        samples.ansiblePipelining?.push(await counted('ansiblePipelining', playbook(true)))
      }
      proxy.reset()
      const login = await RemoteHost.connect(
        { host: proxy.host, port: proxy.port, user: 'root', identityFile: bed.key.path },
        {
          credentials: {},
          trust: { knownHostsPath: bed.knownHosts, acceptFingerprint: bed.sshd.hostKeyFingerprint },
        },
      )
      login.close()
      trips.login = proxy.roundTrips()
      await proxy.stop()
      const m = Object.fromEntries(
        Object.entries(samples).map(([k, v]) => [k, median(v)]),
      ) as Record<string, number>
      const plan = m.plan as number
      const row = (what: string, ms: number, tripsOf: string) =>
        `| ${rtt} ms | ${what} | ${(ms / 1000).toFixed(2)} s | ${(ms / plan).toFixed(2)}× | ${trips[tripsOf] ?? '?'} |`
      rows.push(`| ${rtt} ms | the SSH login alone | | | ${trips.login} |`)
      rows.push(row('pip-mirror plan', plan, 'plan'))
      if (before)
        rows.push(
          row('pip-mirror plan, before the plan contract (7455579)', m.before as number, 'before'),
        )
      rows.push(
        row(
          'pip-mirror apply (plan + verify: HTTP and pip download of every pin)',
          m.apply as number,
          'apply',
        ),
      )
      rows.push(row('ansible-playbook --check', m.ansible as number, 'ansible'))
      rows.push(
        row(
          'ansible-playbook --check, pipelining on',
          m.ansiblePipelining as number,
          'ansiblePipelining',
        ),
      )
    }
  } finally {
    await bed.stop()
  }
  console.log(`Median of ${RUNS} interleaved runs each, converged host:\n`)
  console.log('| added RTT | run | wall time | vs pip-mirror plan | round trips |')
  console.log('| --- | --- | --- | --- | --- |')
  for (const row of rows) console.log(row)
}

await main()
