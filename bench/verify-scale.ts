/**
 * What proving a mirror costs as it grows: closures of 10, 100 and 1,000 generated projects with
 * wheels of 1 KB and of 50 MB, each proven by the verify of before (an HTTP GET of every project
 * page, then `pip download` of every pin on the mirror host) and by today's (engine/verify/: the
 * pages in one batch, then a HEAD of each file pip would take), side by side on the same mirror.
 * Requests and bytes are counted by the mirror's nginx (its access log), time on the wall clock.
 * Everything runs as the product runs it: through a RemoteHost (root) on the test bed's sshd.
 *
 * Run: npx tsx --import ./scripts/raw-text-loader.mjs bench/verify-scale.ts
 *   OLD_VERIFY_BUDGET_MB=n: the old verify runs only where it moves at most n MB (default 2048);
 *   beyond that its bytes are counted from the files it would download and its time is left out.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, mkdtemp, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import {
  nginxAccessLog,
  nginxSiteName,
  renderNginxSite,
} from '../src-main/engine/config/nginx-site'
import { parseSite, type MirrorSite } from '#shared/site'
import { RemoteHost } from '../src-main/engine/ssh/remote-host'
import { TOOLS_VENV, VENV_PYTHON } from '../src-main/engine/steps/mirror-layout'
import { proveTargets } from '../src-main/engine/verify/prove-targets'
import { freePort, sh } from '../test/testbed/processes'
import { startOrReloadNginx } from '../test/testbed/served-mirror'
import { makeClientKey, startSshd } from '../test/testbed/sshd'
import { pipDownloadVerify } from './verify-scale/pip-download-verify'

const run = promisify(execFile)
const GENERATOR = join(dirname(fileURLToPath(import.meta.url)), 'verify-scale', 'make-mirror.py')
const COUNTS = [10, 100, 1000]
const SIZES = [1024, 50 * 1024 * 1024]
const BUDGET = Number(process.env.OLD_VERIFY_BUDGET_MB ?? 2048) * 1024 * 1024

interface Cost {
  requests: number
  bytes: number
  ms: number | null
}

/** Requests and body bytes nginx logged (combined format: `"GET /x HTTP/1.1" 200 1234`). */
async function logged(path: string): Promise<{ requests: number; bytes: number }> {
  const text = existsSync(path) ? await readFile(path, 'utf8') : ''
  let requests = 0
  let bytes = 0
  for (const line of text.split('\n')) {
    const m = /" \d{3} (\d+) "/.exec(line)
    if (!m) continue
    requests++
    bytes += Number(m[1])
  }
  return { requests, bytes }
}

async function measure(log: string, work: () => Promise<unknown>): Promise<Cost> {
  await truncate(log, 0).catch(() => undefined)
  const start = performance.now()
  await work()
  const ms = performance.now() - start
  // nginx writes a line when each response ends: give the last one a moment.
  await new Promise((resolve) => setTimeout(resolve, 200))
  return { ...(await logged(log)), ms }
}

async function serve(
  dir: string,
): Promise<{ mirror: MirrorSite; log: string; stop(): Promise<void> }> {
  const listen = `127.0.0.1:${await freePort()}`
  const name = nginxSiteName(listen)
  const available = `/etc/nginx/sites-available/${name}`
  const enabled = `/etc/nginx/sites-enabled/${name}`
  await writeFile(
    available,
    renderNginxSite({ listen, location: '/pypi/', webRoot: join(dir, 'web') }),
  )
  await symlink(available, enabled)
  await startOrReloadNginx()
  const mirror = parseSite({
    mirror: {
      ssh: { host: '127.0.0.1', port: 22, user: 'root' },
      directory: dir,
      requirements: ['bench-0000'],
      pythonVersions: ['3.11'],
      serve: { listen, location: '/pypi/' },
    },
  }).mirror
  const log = nginxAccessLog(listen)
  return {
    mirror,
    log,
    async stop() {
      await rm(enabled, { force: true })
      await rm(available, { force: true })
      await sh('nginx', ['-s', 'reload']).catch(() => undefined)
      await rm(log, { force: true })
    },
  }
}

const mb = (bytes: number): string =>
  bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${(bytes / 1024).toFixed(1)} KB`

async function main(): Promise<void> {
  if (!existsSync(VENV_PYTHON)) await run('/usr/bin/python3', ['-m', 'venv', TOOLS_VENV])
  const sshd = await startSshd()
  const work = await mkdtemp(join(tmpdir(), 'pmw-verify-scale-'))
  await chmod(work, 0o755)
  const key = await makeClientKey(work, 'key')
  await sshd.authorize('root', key)
  const host = await RemoteHost.connect(
    { host: sshd.host, port: sshd.port, user: 'root', identityFile: key.path },
    {
      credentials: {},
      trust: {
        knownHostsPath: join(work, 'known_hosts'),
        acceptFingerprint: sshd.hostKeyFingerprint,
      },
    },
  )
  const rows: string[] = []
  try {
    for (const size of SIZES)
      for (const count of COUNTS) {
        const dir = await mkdtemp(join(work, `m${count}-`))
        await chmod(dir, 0o755)
        const { stdout } = await run('/usr/bin/python3', [
          GENERATOR,
          dir,
          String(count),
          String(size),
        ])
        const fileBytes = Number(/bytes=(\d+)/.exec(stdout)?.[1])
        const site = await serve(dir)
        try {
          const proof = await measure(site.log, () => proveTargets(host, site.mirror))
          const old =
            fileBytes <= BUDGET
              ? await measure(site.log, () => pipDownloadVerify(host, site.mirror))
              : // What it would do: each page twice (GET, then pip) and every file once.
                { requests: 3 * count, bytes: fileBytes + 2 * proof.bytes, ms: null }
          const perPin = (cost: Cost) => ({
            requests: (cost.requests / count).toFixed(1),
            bytes: mb(cost.bytes / count),
            ms: cost.ms === null ? 'not run' : `${(cost.ms / count).toFixed(1)} ms`,
          })
          const [b, n] = [perPin(old), perPin(proof)]
          const ratio = old.ms !== null && proof.ms ? `${(old.ms / proof.ms).toFixed(1)}×` : '-'
          rows.push(
            `| ${count} | ${mb(size)} | ${old.requests} / ${proof.requests} | ${b.requests} / ${n.requests} | ${mb(old.bytes)}${old.ms === null ? '*' : ''} / ${mb(proof.bytes)} | ${b.bytes} / ${n.bytes} | ${b.ms} / ${n.ms} | ${ratio} |`,
          )
        } finally {
          await site.stop()
          await rm(dir, { recursive: true, force: true })
        }
      }
  } finally {
    host.close()
    await sshd.stop()
    await rm(work, { recursive: true, force: true })
  }
  console.log(
    'Each pair: before (GET every page, then pip download of every pin) / now (pages + HEAD).',
  )
  console.log(
    '| pins | wheel size | requests | per pin | bytes moved | per pin | time per pin | time before ÷ now |',
  )
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |')
  for (const row of rows) console.log(row)
  console.log(`* counted, not run: over OLD_VERIFY_BUDGET_MB (${mb(BUDGET)})`)
}

await main()
