/**
 * A full `pip-mirror apply` on a fresh Debian 13 root (the bare-host test bed), timed phase by
 * phase, beside the seed manual's own commands (bench/bare-host/seed-manual.sh) on an identical
 * fresh root: the same suite, the same proxy, the same upstream and packages. Rounds alternate
 * which goes first. Run: npm run bench -- bare-host   (ROUNDS=n, default 3)
 */
import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { startBareBed, type BareBed } from '../test/testbed/bare-host/bed'
import type { BareHost } from '../test/testbed/bare-host/host'
import { pipMirrorOn } from '../test/testbed/bare-host/pip-mirror-on'
import { ensureCliBuilt } from '../test/testbed/cli'
import { REAL_DISTS, realDists } from '../test/testbed/real-dists'

const ROUNDS = Number(process.env.ROUNDS ?? 3)
const PHASES = [
  'connect+preflight',
  'packages',
  'tools',
  'resolve',
  'sync',
  'nginx',
  'verify',
] as const
type Phase = (typeof PHASES)[number]
type Timing = Record<Phase, number>
const SEED_SCRIPT = fileURLToPath(new URL('./bare-host/seed-manual.sh', import.meta.url))

function emptyTiming(): Timing {
  return Object.fromEntries(PHASES.map((p) => [p, 0])) as Timing
}

/** The product's phases from its --json events, timed as they stream in. */
async function timeProduct(bed: BareBed, host: BareHost): Promise<Timing> {
  const site = bed.mirrorSite(host, {
    requirements: [...REAL_DISTS.requested],
    pythonVersions: ['3.13'],
  })
  const timing = emptyTiming()
  const start = performance.now()
  let seen = 0
  let step = 'preflight'
  let phase: Phase = 'connect+preflight'
  let since = start
  const stepPhase: Record<string, Phase> = {
    preflight: 'connect+preflight',
    tools: 'tools',
    requirements: 'resolve',
    config: 'sync',
    sync: 'sync',
    nginx: 'nginx',
    verify: 'verify',
  }
  const enter = (next: Phase): void => {
    const now = performance.now()
    timing[phase] += now - since
    phase = next
    since = now
  }
  const run = await pipMirrorOn(bed, 'apply', site, {
    args: ['--json'],
    onOutput: (stdout) => {
      const lines = stdout.slice(seen).split('\n')
      const complete = lines.slice(0, -1)
      seen += complete.reduce((n, l) => n + l.length + 1, 0)
      for (const line of complete) {
        if (!line.startsWith('{')) continue
        const event = JSON.parse(line) as {
          type: string
          step?: string
          stream?: string
          line?: string
        }
        if (event.type === 'step-started' && event.step) {
          step = event.step
          enter(stepPhase[step] ?? 'connect+preflight')
        } else if (event.type === 'log' && event.stream === 'command' && event.line) {
          // apt-get's time is the packages phase, whichever step runs it.
          enter(
            /apt-get (install|update)/.test(event.line) ? 'packages' : (stepPhase[step] ?? phase),
          )
        }
      }
    },
  })
  enter(phase)
  if (run.code !== 0) throw new Error(`pip-mirror apply failed:\n${run.output}`)
  return timing
}

function ssh(bed: BareBed, host: BareHost, script: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'ssh',
      [
        ...['-i', bed.key.path, '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no'],
        // Each round's host is a fresh copy with a new key: nothing to remember between them.
        ...['-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR'],
        `root@${host.address}`,
        'sh',
        '-s',
        '--',
        ...args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`),
      ],
      { stdio: ['pipe', 'ignore', 'pipe'] },
    )
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`seed ${args[0]} failed (${code}):\n${stderr}`)),
    )
    child.stdin.end(script)
  })
}

/** The seed manual's commands, one SSH session per phase, as an operator pastes them. */
async function timeSeed(bed: BareBed, host: BareHost): Promise<Timing> {
  const script = await readFile(SEED_SCRIPT, 'utf8')
  const timing = emptyTiming()
  for (const phase of PHASES) {
    const started = performance.now()
    if (phase === 'connect+preflight') await ssh(bed, host, 'true', [])
    else
      await ssh(bed, host, script, [
        phase,
        bed.proxy.url,
        bed.upstream.url,
        host.address,
        ...REAL_DISTS.requested,
      ])
    timing[phase] = performance.now() - started
  }
  return timing
}

const total = (t: Timing): number => PHASES.reduce((n, p) => n + t[p], 0)
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`

async function main(): Promise<void> {
  await ensureCliBuilt()
  const bed = await startBareBed({ wheelsDir: await realDists() })
  const product: Timing[] = []
  const seed: Timing[] = []
  try {
    const a = await bed.startHost({ name: 'bench-product', suite: 'trixie' })
    const b = await bed.startHost({ name: 'bench-seed', suite: 'trixie' })
    for (let round = 0; round < ROUNDS; round++) {
      await a.reset()
      await b.reset()
      const runs: [() => Promise<void>, () => Promise<void>] = [
        async () => void product.push(await timeProduct(bed, a)),
        async () => void seed.push(await timeSeed(bed, b)),
      ]
      for (const run of round % 2 === 0 ? runs : [...runs].reverse()) await run()
    }
  } finally {
    await bed.stop()
  }
  const median = (values: number[]): number => {
    const sorted = [...values].sort((x, y) => x - y)
    const mid = Math.floor(sorted.length / 2)
    return sorted.length % 2
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
  }
  const med = (timings: Timing[]): Timing =>
    Object.fromEntries(PHASES.map((p) => [p, median(timings.map((t) => t[p]))])) as Timing
  const [p, s] = [med(product), med(seed)]
  console.log(
    `Fresh Debian 13 root, ${REAL_DISTS.requested.join(', ')} (17 pinned releases), median of ${ROUNDS} rounds\n`,
  )
  console.log('| phase | pip-mirror apply | share | seed manual | share |')
  console.log('| --- | --- | --- | --- | --- |')
  for (const phase of PHASES)
    console.log(
      `| ${phase} | ${seconds(p[phase])} | ${((100 * p[phase]) / total(p)).toFixed(0)}% | ${seconds(s[phase])} | ${((100 * s[phase]) / total(s)).toFixed(0)}% |`,
    )
  console.log(`| total | ${seconds(total(p))} | 100% | ${seconds(total(s))} | 100% |`)
  console.log(`\npip-mirror apply / seed manual: ${(total(p) / total(s)).toFixed(2)}×`)
  console.log(
    `rounds (product, seed): ${product.map((t) => seconds(total(t))).join(' ')} | ${seed.map((t) => seconds(total(t))).join(' ')}`,
  )
}

await main()
