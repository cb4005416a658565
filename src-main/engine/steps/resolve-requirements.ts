import { createHash } from 'node:crypto'
import { EngineError } from '../errors'
import { readRemoteFile } from '../ssh/files'
import type { RemoteHost } from '../ssh/remote-host'
import { normalizeProjectName, parseRequirement, type MirrorSite } from '../site'
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

/** Resolves without writing anything on the host: the closure the wizard shows before mirroring. */
export async function previewClosure(
  host: RemoteHost,
  mirror: MirrorSite,
  requirements: readonly string[],
): Promise<PinnedRequirement[]> {
  const result = await host.exec(compileArgv(mirror, '-', null), {
    stdin: requirementsInText(requirements),
    quiet: true,
  })
  if (result.code !== 0) throw resolverError(result.stderr, mirror, host)
  const direct = new Set(
    requirements.map((line) => normalizeProjectName(parseRequirement(line)?.name ?? line)),
  )
  return parsePinnedRequirements(result.stdout).map((pin) => ({
    ...pin,
    direct: pin.direct || direct.has(pin.name),
  }))
}

/** Resolves into the mirror's requirements.txt (as the mirror's owner). */
export async function compileOnHost(
  host: RemoteHost,
  mirror: MirrorSite,
  signal?: AbortSignal,
): Promise<void> {
  const layout = mirrorLayout(mirror)
  const result = await host.exec(
    compileArgv(mirror, layout.requirementsIn, layout.requirementsTxt),
    signal ? { signal } : {},
  )
  if (result.code !== 0) throw resolverError(result.stderr, mirror, host)
}

export async function readResolvedRequirements(
  host: RemoteHost,
  mirror: MirrorSite,
): Promise<PinnedRequirement[] | null> {
  const text = await readRemoteFile(host, mirrorLayout(mirror).requirementsTxt)
  return text === null ? null : parsePinnedRequirements(text.toString('utf8'))
}
