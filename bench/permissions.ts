/**
 * The permission repair on a mirror of 200,000 files in 20,000 directories with 1% of them
 * unreadable for nginx, beside the manual's seed `chmod -R 755 && chown -R www-data:www-data`,
 * each on a fresh copy of the same tree, the repair again on the repaired (healthy) tree, and
 * the product's seed (the confined helper, web/ only) on that copy last. Every
 * command runs as the product runs it: through a RemoteHost (root) on the test bed's sshd, on
 * this machine's local disk. Writes are counted as entries whose ctime changed.
 *
 * Run: npx tsx bench/permissions.ts   (ROUNDS=n for more rounds; the table shows medians)
 */
import { execFile } from 'node:child_process'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { findNginxUser } from '../src-main/engine/permissions/nginx-user'
import { seedArgv, treeRepairArgv } from '../src-main/engine/permissions/confined-repair'
import { treeBranches } from '../src-main/engine/permissions/tree-predicates'
import { scanServedTree } from '../src-main/engine/permissions/tree-scan'
import { RemoteHost } from '../src-main/engine/ssh/remote-host'
import { ensureAccount, MIRROR_OWNER } from '../test/testbed/mirror-tree'
import { sh } from '../test/testbed/processes'
import { makeClientKey, startSshd } from '../test/testbed/sshd'

const run = promisify(execFile)
const FILES = 200_000
const DIRECTORIES = 20_000
const PERCENT_BROKEN = 1
const GENERATOR = join(dirname(fileURLToPath(import.meta.url)), 'make-mirror-tree.sh')
const ROUNDS = Number(process.env.ROUNDS ?? 3)
const SEED_SCRIPT = 'chmod -R 755 "$1" && chown -R www-data:www-data "$1"'

/** ctime of every entry under a directory, to count what an operation wrote. */
async function ctimes(dir: string): Promise<Map<string, string>> {
  const { stdout } = await run('find', [dir, '-printf', '%C@ %p\\n'], { maxBuffer: 1 << 28 })
  const map = new Map<string, string>()
  for (const line of stdout.split('\n')) {
    const space = line.indexOf(' ')
    if (space > 0) map.set(line.slice(space + 1), line.slice(0, space))
  }
  return map
}

function changed(before: Map<string, string>, after: Map<string, string>): number {
  let count = 0
  for (const [path, ctime] of after) if (before.get(path) !== ctime) count++
  return count
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now()
  const value = await work()
  return { ms: performance.now() - start, value }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

interface GeneratedTree {
  files: number
  directories: number
  brokenFiles: number
  brokenDirectories: number
}

/** `files=N directories=N broken_files=N broken_directories=N` */
function parseGeneratorOutput(text: string): GeneratedTree {
  const value = (key: string): number => Number(new RegExp(`\\b${key}=(\\d+)`).exec(text)?.[1])
  return {
    files: value('files'),
    directories: value('directories'),
    brokenFiles: value('broken_files'),
    brokenDirectories: value('broken_directories'),
  }
}

interface RoundResult {
  scanBrokenMs: number
  wrongFound: number
  leastMs: number
  leastWrites: number
  healthyScanMs: number
  healthyWrong: number
  healthyForcedMs: number
  healthyWrites: number
  seedMs: number
  seedWrites: number
  seedHelperMs: number
  seedHelperWrites: number
  commandOverheadMs: number
}

async function main(): Promise<void> {
  const owner = await ensureAccount(MIRROR_OWNER)
  const base = await mkdtemp(join(tmpdir(), 'pmw-bench-perm-'))
  await chmod(base, 0o755)
  const sshd = await startSshd()
  const key = await makeClientKey(base, 'key')
  await sshd.authorize('root', key)
  const host = await RemoteHost.connect(
    { host: sshd.host, port: sshd.port, user: 'root', identityFile: key.path },
    {
      credentials: {},
      trust: {
        knownHostsPath: join(base, 'known_hosts'),
        acceptFingerprint: sshd.hostKeyFingerprint,
      },
    },
  )
  try {
    const nginx = await findNginxUser(host)
    const accessor = nginx.user ?? { name: 'www-data', uid: 33, gid: 33, gids: [33] }
    const template = join(base, 'template')
    const made = parseGeneratorOutput(
      await sh('sh', [
        GENERATOR,
        template,
        String(FILES),
        String(DIRECTORIES),
        String(PERCENT_BROKEN),
      ]),
    )
    await sh('chown', ['-R', `${owner.uid}:${owner.gid}`, template])
    const entries = made.files + made.directories
    console.error(
      `tree: ${made.files} files, ${made.directories} directories, ${made.brokenFiles + made.brokenDirectories} broken; nginx user ${accessor.name} (${nginx.user?.source ?? 'assumed'})`,
    )

    const rounds: RoundResult[] = []
    for (let round = 1; round <= ROUNDS; round++) {
      const least = join(base, `least-${round}`)
      const seed = join(base, `seed-${round}`)
      await sh('cp', ['-a', template, least])
      await sh('cp', ['-a', template, seed])
      const web = join(least, 'web')

      const overhead = await timed(() => host.run(['true'], { sudo: true, quiet: true }))
      const before = await ctimes(least)
      const scope = { mirror: least, via: web, web, owner: owner.uid }
      const scan = await timed(() => scanServedTree(host, web, accessor, owner.uid))
      const wrongFound = scan.value.wrongFiles + scan.value.wrongDirectories
      const argv = treeRepairArgv(
        scope,
        accessor,
        scan.value.wrong.map((kind) => kind.branch),
      )
      const repair = await timed(() => host.run(argv, { sudo: true, quiet: true }))
      const afterLeast = await ctimes(least)

      const healthyScan = await timed(() => scanServedTree(host, web, accessor, owner.uid))
      const healthyWrong = healthyScan.value.wrongFiles + healthyScan.value.wrongDirectories
      // The plan is empty now, so the product runs nothing; run every branch anyway to show
      // that even the repair command itself writes nothing on a healthy tree.
      const forced = await timed(() =>
        host.run(treeRepairArgv(scope, accessor, treeBranches(accessor)), {
          sudo: true,
          quiet: true,
        }),
      )
      const afterHealthy = await ctimes(least)

      // The product's seed: the helper, on web/ only, here on the repaired copy (it rewrites all).
      const seedHelperBefore = await ctimes(least)
      const seededHelper = await timed(() =>
        host.run(seedArgv(scope, '0755', { uid: accessor.uid, gid: accessor.gid }), {
          sudo: true,
          quiet: true,
        }),
      )
      const seedHelperAfter = await ctimes(least)

      const seedBefore = await ctimes(seed)
      const seeded = await timed(() =>
        host.script(SEED_SCRIPT, [seed], { sudo: true, quiet: true }),
      )
      const seedAfter = await ctimes(seed)

      rounds.push({
        scanBrokenMs: scan.ms,
        wrongFound,
        leastMs: repair.ms,
        leastWrites: changed(before, afterLeast),
        healthyScanMs: healthyScan.ms,
        healthyWrong,
        healthyForcedMs: forced.ms,
        healthyWrites: changed(afterLeast, afterHealthy),
        seedMs: seeded.ms,
        seedWrites: changed(seedBefore, seedAfter),
        seedHelperMs: seededHelper.ms,
        seedHelperWrites: changed(seedHelperBefore, seedHelperAfter),
        commandOverheadMs: overhead.ms,
      })
      console.error(`round ${round}: ${JSON.stringify(rounds.at(-1))}`)
      await rm(least, { recursive: true, force: true })
      await rm(seed, { recursive: true, force: true })
    }

    const m = (key: keyof RoundResult): number => median(rounds.map((r) => r[key]))
    const least = m('leastMs')
    const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`
    const ratio = (ms: number): string => `${(ms / least).toFixed(1)}×`
    const rows = [
      ['doctor: tree scan, broken tree (one `find` + awk)', m('wrongFound'), 0, m('scanBrokenMs')],
      [
        'least repair: the confined helper (`tree`: layout only, one filesystem, no symlink followed)',
        m('wrongFound'),
        m('leastWrites'),
        least,
      ],
      [
        "the manual's seed: `chmod -R 755 && chown -R www-data:www-data` (whole mirror)",
        entries,
        m('seedWrites'),
        m('seedMs'),
      ],
      [
        "the product's seed: the confined helper (`seed`: web/'s layout only)",
        entries,
        m('seedHelperWrites'),
        m('seedHelperMs'),
      ],
      [
        'doctor: tree scan, healthy tree (plan empty: nothing runs)',
        m('healthyWrong'),
        0,
        m('healthyScanMs'),
      ],
      [
        'least repair command forced on the healthy tree',
        0,
        m('healthyWrites'),
        m('healthyForcedMs'),
      ],
    ] as const
    console.log(
      `${FILES} files, ${DIRECTORIES} directories, ${made.brokenFiles} files and ${made.brokenDirectories} directories broken (${entries} entries); median of ${ROUNDS} rounds; one SSH command costs ${Math.round(m('commandOverheadMs'))} ms here\n`,
    )
    console.log(
      '| run | entries selected | entries written (ctime changed) | wall time | time vs least repair |',
    )
    console.log('| --- | --- | --- | --- | --- |')
    for (const [name, selected, writes, ms] of rows)
      console.log(`| ${name} | ${selected} | ${writes} | ${secs(ms)} | ${ratio(ms)} |`)
    console.log(
      `\nseed / least: ${(m('seedMs') / least).toFixed(1)}× the time, ${(m('seedWrites') / Math.max(1, m('leastWrites'))).toFixed(0)}× the writes`,
    )
  } finally {
    host.close()
    await sshd.stop()
    await rm(base, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
