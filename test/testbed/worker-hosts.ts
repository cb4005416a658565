import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Connect } from '../../src-main/engine/fleet'
import { RemoteHost } from '../../src-main/engine/ssh/remote-host'
import type { SshTarget } from '#shared/site'
import { olSandboxBaseRoot } from './ol-sandbox-root'
import { sh } from './processes'
import type { ClientKey, TestSshd } from './sshd'

/** The stand-in for OpenLambda's `ol` (see test/standins/ol/README.md). */
export const OL_STANDIN = fileURLToPath(new URL('../standins/ol/ol', import.meta.url))
const INSTALLERS = fileURLToPath(new URL('../standins/ol/installers/', import.meta.url))

/**
 * Which OpenLambda the stand-in is: `main` ignores config.json's pip_mirror (OpenLambda's main
 * branch), `pip-mirror` passes it to pip (the seed manual's pull request #261).
 */
export type OlBuild = 'main' | 'pip-mirror'

export interface OlStandinOptions {
  build?: OlBuild
  /** `free`: init picks a free worker_port (several workers on one machine); default 5000. */
  workerPort?: 'free' | 'default'
  /** Where `ol worker init` finds the base image to dump, as the worker sees it. */
  baseRoot?: string
}

const EMBEDDED =
  /(# --- embedded packagePullerInstaller\.py \()main(\) ---\nPACKAGE_PULLER_INSTALLER = r''')[\s\S]*?('''\n# --- end of embedded)/

/**
 * Writes the `ol` stand-in to `<dir>/bin/ol` (what a site's `ol` then names) with the chosen
 * build's pip-install lambda embedded in it, as the real binary embeds its installer, and its
 * test knobs (the base image to dump at init, the port) beside it. Returns the path.
 */
export async function installOlStandin(
  dir: string,
  options: OlStandinOptions = {},
): Promise<string> {
  const build = options.build ?? 'main'
  const bin = join(dir, 'bin')
  await mkdir(bin, { recursive: true, mode: 0o755 })
  const installer = await readFile(join(INSTALLERS, `${build}.py`), 'utf8')
  const script = (await readFile(OL_STANDIN, 'utf8')).replace(
    EMBEDDED,
    (_, head: string, middle: string, tail: string) =>
      `${head}${build}${middle}${installer}${tail}`,
  )
  if (!script.includes(installer)) throw new Error('the ol stand-in has no embedded installer')
  const path = join(bin, 'ol')
  await writeFile(path, script)
  await chmod(path, 0o755)
  await writeFile(
    join(bin, 'ol.standin.json'),
    JSON.stringify({
      base_root: options.baseRoot ?? (await olSandboxBaseRoot()),
      ...(options.workerPort === 'default' ? {} : { worker_port: 'free' }),
    }),
  )
  return path
}

/**
 * The `connect` the engine's fleet calls: a new connection with the key, trusting each test
 * sshd's real host key (as an operator confirming the fingerprint would).
 */
export function testConnect(
  sshds: readonly TestSshd[],
  key: ClientKey,
  knownHostsPath: string,
): Connect {
  return async (target: SshTarget) => {
    const sshd = sshds.find((s) => s.host === target.host && s.port === target.port)
    if (!sshd) throw new Error(`no test sshd at ${target.host}:${target.port}`)
    return RemoteHost.connect(
      { ...target, identityFile: key.path },
      {
        credentials: {},
        trust: { knownHostsPath, acceptFingerprint: sshd.hostKeyFingerprint },
      },
    )
  }
}

export function sshTargetOf(sshd: TestSshd, user = 'root'): SshTarget {
  return { host: sshd.host, port: sshd.port, user }
}

/** Stops every stand-in worker started under `dir` (their pid files), for afterAll. */
export async function stopStandinWorkers(dir: string): Promise<void> {
  await sh('sh', [
    '-c',
    'find "$1" -name worker.pid -exec awk 1 {} + 2>/dev/null | xargs -r kill 2>/dev/null || true',
    'sh',
    dir,
  ])
}
