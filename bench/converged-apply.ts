/**
 * A converged host (the mirror already set up): `pip-mirror plan` beside an Ansible playbook doing
 * the same steps in check mode (bench/ansible/mirror.yml), over the same sshd with 0 ms and 50 ms
 * of added round-trip delay. The relay counts every run's round trips and TCP connections; the
 * logins alone are measured too (the engine's, and OpenSSH's as Ansible logs in), so the table
 * shows the round trips beyond the login. BEFORE_CLI=path/to/bin/pip-mirror.js adds an earlier
 * build's plan beside today's. Run: npm run bench -- converged-apply
 */
import { mkdir, mkdtemp, writeFile, readFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { ensureCliBuilt, runPipMirror, runPipMirrorAt } from '../test/testbed/cli'
import { RemoteHost } from '../src-main/engine/ssh/remote-host'
import { startMirrorHostBed } from '../test/testbed/mirror-host'
import { startLatencyProxy, type LatencyProxy } from '../test/testbed/latency-proxy'
import { execFileAsync } from '../test/testbed/processes'
import { parseSite } from '#shared/site'
import { bandersnatchConfFor } from '../src-main/engine/steps/bandersnatch-config'
import { nginxSiteFor, nginxSitePaths } from '../src-main/engine/steps/nginx'
import { requirementsInText } from '../src-main/engine/steps/resolve-requirements'
import { chooseBandersnatch, UV_VERSION } from '../src-main/engine/steps/bandersnatch-release'
import { mirrorUrl } from '#shared/site'

const ANSIBLE_VENV = join(process.cwd(), '.cache/ansible-venv')
const RUNS = 3

/** The options ansible-core's ssh connection plugin gives OpenSSH, with its default ssh_args. */
const ANSIBLE_SSH_OPTIONS = [
  '-C',
  '-o',
  'ControlMaster=auto',
  '-o',
  'ControlPersist=60s',
  '-o',
  'StrictHostKeyChecking=no',
  '-o',
  'UserKnownHostsFile=/dev/null',
  '-o',
  'KbdInteractiveAuthentication=no',
  '-o',
  'PreferredAuthentications=gssapi-with-mic,gssapi-keyex,hostbased,publickey',
  '-o',
  'PasswordAuthentication=no',
  '-o',
  'ConnectTimeout=10',
]

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

/** "8" when every run counted the same, "8 (7-9)" when they differ. */
function counts(values: number[]): string {
  const low = Math.min(...values)
  const high = Math.max(...values)
  return low === high ? String(low) : `${median(values)} (${low}–${high})`
}

interface Sample {
  ms: number
  trips: number
  connections: number
}

async function measured(proxy: LatencyProxy, work: () => Promise<unknown>): Promise<Sample> {
  proxy.reset()
  const ms = await timed(work)
  return { ms, trips: proxy.roundTrips(), connections: proxy.connections() }
}

async function main(): Promise<void> {
  const ansible = await ensureAnsible()
  await ensureCliBuilt()
  const before = process.env.BEFORE_CLI
  if (before && !existsSync(before)) throw new Error(`BEFORE_CLI=${before} does not exist`)
  const bed = await startMirrorHostBed()
  const rows: string[] = []
  const ratios: string[] = []
  const raw: string[] = []
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
    // The earlier build plans a mirror it set up itself (its own directory and nginx site on the
    // same host): its layout differs, so the mirror above is not converged in its eyes.
    let beforeSite: typeof site | null = null
    if (before) {
      beforeSite = await bed.newSite()
      const built = await runPipMirrorAt(before, [
        'apply',
        '--yes',
        '--site',
        beforeSite.path,
        ...accept,
      ])
      if (built.code !== 0)
        throw new Error(
          `setting up the mirror with ${before} failed:\n${built.stdout}\n${built.stderr}`,
        )
    }
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
      const throughProxy = async (path: string, name: string): Promise<string> => {
        const viaProxy = JSON.parse(await readFile(path, 'utf8')) as {
          mirror: { ssh: { port: number } }
        }
        viaProxy.mirror.ssh.port = proxy.port
        const proxied = join(bed.work, `${name}-proxy-${rtt}.json`)
        await writeFile(proxied, JSON.stringify(viaProxy))
        return proxied
      }
      const sitePath = await throughProxy(site.path, 'today')
      const beforeSitePath = beforeSite ? await throughProxy(beforeSite.path, 'before') : ''
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
      // Every run logs in afresh, as every pip-mirror run does: its own ControlMaster directory,
      // and the master it left (ControlPersist) cut once the run is counted.
      const playbook = (pipelining: boolean) => async () => {
        const { stdout } = await execFileAsync(
          ansible,
          ['-i', inventory, '--check', '-e', extraVars, 'bench/ansible/mirror.yml'],
          {
            env: {
              ...process.env,
              ANSIBLE_HOST_KEY_CHECKING: 'False',
              ANSIBLE_PIPELINING: pipelining ? 'True' : 'False',
              ANSIBLE_SSH_CONTROL_PATH_DIR: await mkdtemp(join(files, 'cp-')),
            },
            maxBuffer: 64 * 1024 * 1024,
          },
        )
        if (!/changed=0 /.test(stdout))
          throw new Error(`the playbook wants changes on a converged host:\n${stdout}`)
      }
      const plan = (build?: string) => async () => {
        const args = ['plan', '--site', build ? beforeSitePath : sitePath, '--json', ...accept]
        const result = build ? await runPipMirrorAt(build, args) : await runPipMirror(args)
        if (result.code !== 0)
          throw new Error(`pip-mirror plan failed:\n${result.stdout}\n${result.stderr}`)
        const lines = result.stdout
          .trim()
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as Record<string, unknown>)
        const summary = (lines.findLast((line) => line.type === 'summary') ?? lines.at(-1)) as {
          steps: { changes: number }[]
        }
        if (summary.steps.some((s) => s.changes > 0))
          throw new Error(`pip-mirror plan (${build ?? 'today'}) wants changes on a converged host`)
      }
      const engineLogin = async () => {
        const host = await RemoteHost.connect(
          { host: proxy.host, port: proxy.port, user: 'root', identityFile: bed.key.path },
          {
            credentials: {},
            trust: {
              knownHostsPath: bed.knownHosts,
              acceptFingerprint: bed.sshd.hostKeyFingerprint,
            },
          },
        )
        host.close()
      }
      // OpenSSH as Ansible starts it, sent to the background (-f -N) once logged in.
      const opensshLogin = async () => {
        const control = join(await mkdtemp(join(files, 'login-')), 'master')
        const target = ['-p', String(proxy.port), '-i', bed.key.path, 'root@127.0.0.1']
        // Not execFile: the backgrounded ssh keeps stdout open, and execFile waits for it.
        const child = spawn(
          'ssh',
          [...ANSIBLE_SSH_OPTIONS, '-o', `ControlPath=${control}`, '-f', '-N', ...target],
          { stdio: 'ignore' },
        )
        const code = await new Promise<number | null>((done) => child.on('exit', done))
        if (code !== 0) throw new Error(`ssh -f -N through the relay exited with ${code}`)
        return async () => {
          await execFileAsync('ssh', ['-o', `ControlPath=${control}`, '-O', 'exit', ...target])
        }
      }

      const kinds = ['login', 'opensshLogin', 'plan', 'before', 'ansible', 'ansiblePipelining']
      const samples: Record<string, Sample[]> = Object.fromEntries(kinds.map((k) => [k, []]))
      const add = (kind: string, sample: Sample) => samples[kind]?.push(sample)
      // Runs interleaved, so a burst of load on this shared machine hits every tool alike.
      for (let i = 0; i < RUNS; i++) {
        add('login', await measured(proxy, engineLogin))
        let stopMaster: () => Promise<void> = async () => undefined
        add('opensshLogin', await measured(proxy, async () => (stopMaster = await opensshLogin())))
        await stopMaster()
        add('plan', await measured(proxy, plan()))
        if (before) add('before', await measured(proxy, plan(before)))
        add('ansible', await measured(proxy, playbook(false)))
        proxy.cut()
        add('ansiblePipelining', await measured(proxy, playbook(true)))
        proxy.cut()
      }
      await proxy.stop()
      raw.push(
        `${rtt} ms: ${JSON.stringify(samples, (_, v: unknown) => (typeof v === 'number' ? Math.round(v) : v))}`,
      )

      const ms = (kind: string) => median((samples[kind] ?? []).map((s) => s.ms))
      const trips = (kind: string) => (samples[kind] ?? []).map((s) => s.trips)
      const login = { engine: median(trips('login')), openssh: median(trips('opensshLogin')) }
      const planMs = ms('plan')
      const row = (what: string, kind: string, loginTrips: number) => {
        const runs = samples[kind] ?? []
        const beyond = runs.map((s) => s.trips - s.connections * loginTrips)
        const conns = counts(runs.map((s) => s.connections))
        return `| ${rtt} ms | ${what} | ${(ms(kind) / 1000).toFixed(2)} s | ${(ms(kind) / planMs).toFixed(2)}× | ${counts(trips(kind))} | ${conns} | ${counts(beyond)} |`
      }
      rows.push(
        `| ${rtt} ms | the SSH login alone: the engine's (ssh2) | | | ${counts(trips('login'))} | 1 | |`,
      )
      rows.push(
        `| ${rtt} ms | the SSH login alone: OpenSSH's, as Ansible runs it | | | ${counts(trips('opensshLogin'))} | 1 | |`,
      )
      rows.push(row('pip-mirror plan', 'plan', login.engine))
      if (before)
        rows.push(row('pip-mirror plan, before the plan contract', 'before', login.engine))
      rows.push(row('ansible-playbook --check', 'ansible', login.openssh))
      rows.push(row('ansible-playbook --check, pipelining on', 'ansiblePipelining', login.openssh))
      ratios.push(
        `${rtt} ms: ansible-playbook --check takes ${(ms('ansible') / planMs).toFixed(2)}× pip-mirror plan's time (pipelining on: ${(ms('ansiblePipelining') / planMs).toFixed(2)}×)` +
          (before
            ? `; the plan before the contract took ${(ms('before') / planMs).toFixed(2)}×`
            : ''),
      )
    }
  } finally {
    await bed.stop()
  }
  console.log(`Median of ${RUNS} interleaved runs each, converged host:\n`)
  console.log(
    '| added RTT | run | wall time | vs pip-mirror plan | round trips | TCP connections | round trips beyond login |',
  )
  console.log('| --- | --- | --- | --- | --- | --- | --- |')
  for (const row of rows) console.log(row)
  console.log('')
  for (const ratio of ratios) console.log(ratio)
  console.log('\nEvery run (ms, round trips, TCP connections):')
  for (const line of raw) console.log(line)
}

await main()
