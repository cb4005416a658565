import { copyFile, chmod, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Connect } from '../../src-main/engine/fleet'
import { RemoteHost } from '../../src-main/engine/ssh/remote-host'
import type { SshTarget } from '../../src-main/engine/site'
import { sh } from './processes'
import type { ClientKey, TestSshd } from './sshd'

/** The stand-in for OpenLambda's `ol` (see test/standins/ol/README.md). */
export const OL_STANDIN = fileURLToPath(new URL('../standins/ol/ol', import.meta.url))

/** Copies the `ol` stand-in to `<dir>/bin/ol` (what a site's `ol` then names) and returns it. */
export async function installOlStandin(dir: string): Promise<string> {
  const bin = join(dir, 'bin')
  await mkdir(bin, { recursive: true, mode: 0o755 })
  const path = join(bin, 'ol')
  await copyFile(OL_STANDIN, path)
  await chmod(path, 0o755)
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
