import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { CACHE_DIR, ensureToolsVenv, standinClientEnv } from './pypi-standin'
import { execFileAsync } from './processes'

/**
 * Real distributions from PyPI for the stand-in (test/standins/pypi serves any directory of
 * wheels and sdists): a realistic closure with platform wheels for the Pythons and platforms a
 * fleet mixes, an sdist-only project and a yanked release. Fetched once with `pip download`
 * and cached under .cache/real-dists/, named for this list.
 */
export const REAL_DISTS = {
  /** What a site asks for. */
  requested: ['flask', 'requests', 'pydantic'],
  /** The closure, every version pinned so each fetch gets the same files. */
  closure: [
    'flask==3.1.1',
    'werkzeug==3.1.9',
    'jinja2==3.1.6',
    'markupsafe==3.0.4',
    'itsdangerous==2.2.0',
    'click==8.5.1',
    'blinker==1.9.0',
    'requests==2.31.0',
    'urllib3==2.8.0',
    'idna==3.20',
    'certifi==2026.10.19.post1',
    'charset-normalizer==3.5.3',
    'pydantic==2.11.7',
    'pydantic-core==2.33.2',
    'annotated-types==0.8.0',
    'typing-extensions==4.16.0',
    'typing-inspection==0.4.5',
  ],
  pythons: ['3.10', '3.11', '3.13'],
  platforms: ['manylinux2014_x86_64', 'manylinux2014_aarch64'],
  /** Published only as an sdist (no wheel at all). */
  sdistOnly: 'docopt==0.6.2',
  /** Yanked on PyPI, and newer than the closure's requests: a resolver must not pick it. */
  yanked: {
    requirement: 'requests==2.32.1',
    reason: 'Yanked due to conflicts with CVE-2024-35195 mitigation',
  },
} as const

/** The closure's project names with their pinned versions, PEP 503-normalised. */
export function realClosurePins(): Map<string, string> {
  return new Map(
    REAL_DISTS.closure.map((pin) => {
      const [name, version] = pin.split('==') as [string, string]
      return [name.toLowerCase().replace(/[-_.]+/g, '-'), version]
    }),
  )
}

let fetched: Promise<string> | undefined

/** The directory of real distributions (with its yanked.json), fetched once. */
export function realDists(): Promise<string> {
  fetched ??= fetchOnce()
  return fetched
}

async function fetchOnce(): Promise<string> {
  const digest = createHash('sha256').update(JSON.stringify(REAL_DISTS)).digest('hex').slice(0, 12)
  const dir = join(CACHE_DIR, 'real-dists', digest)
  if (existsSync(dir)) return dir
  const staging = `${dir}.partial-${process.pid}`
  await rm(staging, { recursive: true, force: true })
  await mkdir(staging, { recursive: true })
  const { pip } = await ensureToolsVenv()
  // pip's own config is left out (it adds this machine's find-links); its CA bundle is kept.
  const env = standinClientEnv({ PIP_CERT: '/etc/ssl/certs/ca-certificates.crt' })
  const download = (args: string[]) =>
    execFileAsync(pip, ['download', '--quiet', '--dest', staging, ...args], {
      env,
      timeout: 600_000,
      maxBuffer: 16 * 1024 * 1024,
    })
  for (const python of REAL_DISTS.pythons)
    for (const platform of REAL_DISTS.platforms)
      await download([
        '--only-binary=:all:',
        '--platform',
        platform,
        '--python-version',
        python,
        '--implementation',
        'cp',
        '--abi',
        `cp${python.replace('.', '')}`,
        ...REAL_DISTS.closure,
      ])
  await download(['--no-deps', '--no-binary=:all:', REAL_DISTS.sdistOnly])
  await download(['--no-deps', '--only-binary=:all:', REAL_DISTS.yanked.requirement])
  await writeFile(
    join(staging, 'yanked.json'),
    JSON.stringify({ [REAL_DISTS.yanked.requirement]: REAL_DISTS.yanked.reason }, null, 1),
  )
  if ((await readdir(staging)).length < REAL_DISTS.closure.length)
    throw new Error(`pip download left too few files in ${staging}`)
  try {
    await rename(staging, dir)
  } catch (error) {
    // Another run finished the same fetch first.
    await rm(staging, { recursive: true, force: true })
    if (!existsSync(dir)) throw error
  }
  return dir
}
