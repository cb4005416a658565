import { z } from 'zod'
import { commandLine, scriptCommand } from '../remote/quote'
import { runPythonJson } from '../remote/python'
import { normalizeProjectName } from '#shared/site'
import type { RemoteHost } from '../ssh/remote-host'
import type { AccessLogLine, MirrorAccessLog } from './mirror-access-log'
import { installerArgv, type OlBuild } from './ol-build'
import sandboxInstallScript from './scripts/sandbox-install.sh?raw'
import sourceAddressScript from './scripts/source-address.py?raw'

export interface InstallProof {
  proven: boolean
  /** One sentence: what happened, with its evidence. */
  summary: string
  /** The command that ran in the sandbox root. */
  command: string
  /** The worker's address as the mirror sees it. */
  source: string
  /** The mirror's log lines from that address for this package. */
  requests: AccessLogLine[]
  /** The end of pip's output. */
  pipTail: string[]
}

async function sourceAddress(host: RemoteHost, pipMirror: string): Promise<string> {
  const url = new URL(pipMirror)
  const port = url.port || (url.protocol === 'https:' ? '443' : '80')
  const { address } = await runPythonJson(
    host,
    `Finding the address ${host.label} reaches ${url.host} from`,
    sourceAddressScript,
    [url.hostname, port],
    z.object({ address: z.string() }),
  )
  return address
}

/** The project an OpenLambda install argument names (`alpha==1.1` → alpha). */
function projectOf(pkg: string): string {
  return normalizeProjectName(pkg.split(/[=<>!~;[\s@]/)[0] ?? pkg)
}

/**
 * Proves from outside that a worker's sandboxes install from the mirror: runs this OpenLambda
 * build's own installer command for one package inside the sandbox root (as its pip-install
 * lambda runs it), then reads the mirror's nginx access log for the requests it made: the
 * package's page and its file, from this worker's address, answered 200. Only then proven.
 */
export async function proveSandboxInstall(
  host: RemoteHost,
  input: { base: string; build: OlBuild; pkg: string; pipMirror: string; log: MirrorAccessLog },
): Promise<InstallProof> {
  const argv = installerArgv(input.build, input.pkg, input.pipMirror)
  const command = `chroot ${input.base} ${commandLine(argv)}`
  const source = await sourceAddress(host, input.pipMirror)
  const offset = await input.log.size()
  // A proof, not a change: the sandbox base is mounted read-only in a private mount namespace,
  // /host and /tmp are fresh directories the script removes, so the host is left as it was (like
  // the dry install, a read that asks the mirror). It runs between the log's two reads.
  const run = await host.read(scriptCommand(sandboxInstallScript, [input.base, ...argv]), {
    sudo: true,
    quiet: true,
  })
  const lines = await input.log.since(offset)
  const output = run.stdout.trim().split('\n')
  const pipTail = output.filter((line) => !line.startsWith('pmw-installed:')).slice(-8)
  const installed =
    output
      .find((line) => line.startsWith('pmw-installed:'))
      ?.slice(15)
      .trim() ?? ''
  const project = projectOf(input.pkg)
  const base = new URL(input.pipMirror).pathname.replace(/\/+$/, '')
  const page = `${base}/simple/${project}/`
  const ours = lines.filter((line) => line.client === source)
  const requests = ours.filter(
    (line) =>
      line.path === page ||
      (line.path.startsWith(`${base}/packages/`) &&
        normalizeProjectName(line.path.split('/').pop()?.split('-')[0] ?? '') === project),
  )
  const pageOk = requests.some((line) => line.path === page && line.status === 200)
  const fileOk = requests.some((line) => line.path.includes('/packages/') && line.status === 200)
  const evidence = requests.map((line) => line.line).join(' | ')
  if (run.code === 0 && pageOk && fileOk)
    return {
      proven: true,
      summary: `${command} installed ${installed || input.pkg}; ${input.log.where} shows ${source} fetching ${page} and its file: ${evidence}`,
      command,
      source,
      requests,
      pipTail,
    }
  const others = [...new Set(lines.map((line) => line.client))].filter((c) => c !== source)
  const why =
    run.code !== 0
      ? `the install failed (exit code ${run.code}): ${pipTail.slice(-3).join(' ')}`
      : requests.length === 0
        ? `it installed ${installed || 'something'}, but ${input.log.where} shows no request for ${page} from ${source}${others.length ? ` (only from ${others.join(', ')})` : ''}: pip in the sandbox took it from somewhere else`
        : `${input.log.where} shows ${source} asking, but not both the page and the file answered 200: ${evidence}`
  return { proven: false, summary: `${command}: ${why}`, command, source, requests, pipTail }
}
