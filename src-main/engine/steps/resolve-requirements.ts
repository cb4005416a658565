import { createHash } from 'node:crypto'
import { EngineError } from '../errors'
import type { RemoteHost } from '../ssh/remote-host'
import { normalizeProjectName, parseRequirement, type MirrorSite } from '#shared/site'
import { siteTargets, targetId } from '../verify/targets'
import { mirrorLayout, UV, VENV_PYTHON } from './mirror-layout'
import { parsePinnedRequirements, type PinnedRequirement } from './pinned-requirements'

/** The `.in` file the operator's list becomes; a header says where it came from. */
export function requirementsInText(requirements: readonly string[]): string {
  return [
    '# Written by Pip Mirror Wizard from the site description: the projects to mirror.',
    ...requirements,
    '',
  ].join('\n')
}

/**
 * What a resolution depends on; the resolved file is current while this is unchanged. The
 * targets count too: they decide which sdists need their build backends mirrored.
 */
export function resolutionStamp(mirror: MirrorSite, inText: string): string {
  const minPython = lowestPython(mirror.pythonVersions)
  const targets = siteTargets(mirror).map(targetId)
  return createHash('sha256')
    .update(JSON.stringify([inText, minPython, mirror.upstream, targets]))
    .digest('hex')
}

export function lowestPython(versions: readonly string[]): string {
  return (
    [...versions].sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]))[0] ?? '3.11'
  )
}

function proxyEnv(mirror: MirrorSite): string[] {
  return mirror.proxy ? ['env', `HTTP_PROXY=${mirror.proxy}`, `HTTPS_PROXY=${mirror.proxy}`] : []
}

/**
 * `uv pip compile --universal`: every dependency, including those behind environment markers for
 * any platform and for the lowest listed Python and later, pinned to one version.
 */
export function compileArgv(mirror: MirrorSite, input: string, output: string | null): string[] {
  return [
    ...proxyEnv(mirror),
    UV,
    'pip',
    'compile',
    '--universal',
    '--python-version',
    lowestPython(mirror.pythonVersions),
    '--index-url',
    `${mirror.upstream.replace(/\/+$/, '')}/simple`,
    '--no-progress',
    // uv would otherwise try to download an interpreter when it cannot find the target version.
    '--python',
    VENV_PYTHON,
    '--no-python-downloads',
    '--custom-compile-command',
    'pip-mirror apply',
    ...(output ? ['--output-file', output] : []),
    input,
  ]
}

function resolverError(stderr: string, mirror: MirrorSite, host: RemoteHost): EngineError {
  const reason = stderr.trim().split('\n').filter(Boolean).slice(-6).join('\n')
  const unreachable =
    /connect|dns|resolve host|timed out|network/i.test(reason) &&
    !/No solution|not found in the package registry/i.test(reason)
  return new EngineError(`Resolving the requirements failed:\n${reason}`, {
    host: host.label,
    hint: unreachable
      ? `the host cannot reach ${mirror.upstream}; check the network or set "proxy"`
      : 'fix the requirement named above (spelling, version) and apply again',
  })
}

/** The resolver reads the list from its standard input under this name. */
export const STDIN_INPUT = '/dev/stdin'

/**
 * Resolves without writing anything on the host: the requirements.txt the resolver would write
 * for the list (its `-r` annotations naming `inputPath`, as when it reads that file), and its pins.
 */
export async function compileClosure(
  host: RemoteHost,
  mirror: MirrorSite,
  requirements: readonly string[],
  inputPath: string,
): Promise<{ text: string; pins: PinnedRequirement[] }> {
  const result = await host.read(compileArgv(mirror, STDIN_INPUT, null), {
    stdin: requirementsInText(requirements),
    quiet: true,
  })
  if (result.code !== 0) throw resolverError(result.stderr, mirror, host)
  // uv names its input as given, or relative to the working directory when under it.
  const text = result.stdout.replace(/^(\s*#\s*(?:via\s+)?-r )\S*dev\/stdin$/gm, `$1${inputPath}`)
  const direct = new Set(
    requirements.map((line) => normalizeProjectName(parseRequirement(line)?.name ?? line)),
  )
  const pins = parsePinnedRequirements(text).map((pin) => ({
    ...pin,
    direct: pin.direct || direct.has(pin.name),
  }))
  return { text, pins }
}

/** The closure the wizard shows before mirroring. */
export async function previewClosure(
  host: RemoteHost,
  mirror: MirrorSite,
  requirements: readonly string[],
): Promise<PinnedRequirement[]> {
  const layout = mirrorLayout(mirror)
  return (await compileClosure(host, mirror, requirements, layout.requirementsIn)).pins
}
