import { createHash } from 'node:crypto'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CACHE_DIR } from '../pypi-standin'
import { execFileAsync } from '../processes'

/** Debian 12 and Debian 13, as debootstrap names them. */
export type DebianSuite = 'bookworm' | 'trixie'

const BUILD_SCRIPT = fileURLToPath(new URL('./build-root.sh', import.meta.url))
const ROOTS_DIR = join(CACHE_DIR, 'bare-roots')
/** The extra CAs this machine trusts: HTTPS to the registries goes through them. */
export const MACHINE_CA_DIR = '/usr/local/share/ca-certificates'

/** The Debian archive this machine's apt uses (deb.debian.org, or a local mirror of it). */
export function debianMirrorUri(): string {
  const dir = '/etc/apt/sources.list.d'
  const files = [
    '/etc/apt/sources.list',
    ...(existsSync(dir) ? readdirSync(dir).map((name) => join(dir, name)) : []),
  ].filter((path) => /\.(list|sources)$/.test(path) && existsSync(path))
  for (const path of files) {
    const text = readFileSync(path, 'utf8')
    const uris = [
      ...text.matchAll(/^URIs:\s*(\S+)/gm),
      ...text.matchAll(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)/gm),
    ]
      .map((match) => match[1] as string)
      .filter((uri) => /\/debian\/?$/.test(uri))
    if (uris[0]) return uris[0]
  }
  throw new Error('no Debian archive URI in /etc/apt/sources.list{,.d}: cannot debootstrap')
}

function machineCas(): string[] {
  if (!existsSync(MACHINE_CA_DIR)) return []
  return readdirSync(MACHINE_CA_DIR)
    .filter((name) => name.endsWith('.crt'))
    .sort()
    .map((name) => readFileSync(join(MACHINE_CA_DIR, name), 'utf8'))
}

/** Where the root of `suite` is cached: named for everything that goes into building it. */
export function bareRootPath(suite: DebianSuite): string {
  const digest = createHash('sha256')
    .update(readFileSync(BUILD_SCRIPT))
    .update(debianMirrorUri())
    .update(machineCas().join('\n'))
    .digest('hex')
    .slice(0, 12)
  return join(ROOTS_DIR, `${suite}-${digest}`)
}

const building = new Map<DebianSuite, Promise<string>>()

/**
 * The cached bare root of `suite`, built once with debootstrap (about a minute and 270 MB).
 * Never changed after it is built: each host runs on an overlay of it.
 */
export function ensureBareRoot(suite: DebianSuite): Promise<string> {
  let pending = building.get(suite)
  if (!pending) {
    pending = buildOnce(suite)
    building.set(suite, pending)
  }
  return pending
}

async function buildOnce(suite: DebianSuite): Promise<string> {
  const dir = bareRootPath(suite)
  if (existsSync(dir)) return dir
  await mkdir(ROOTS_DIR, { recursive: true })
  try {
    await execFileAsync('bash', [BUILD_SCRIPT, suite, dir, debianMirrorUri(), MACHINE_CA_DIR], {
      timeout: 900_000,
    })
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string }
    throw new Error(
      `debootstrap of ${suite} failed (needs apt-get install debootstrap):\n${stderr || message}`,
      { cause: error },
    )
  }
  return dir
}
