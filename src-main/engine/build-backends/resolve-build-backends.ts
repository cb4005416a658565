import { EngineError } from '../errors'
import type { RemoteHost } from '../ssh/remote-host'
import type { MirrorSite } from '#shared/site'
import { parsePinnedRequirements, type PinnedRequirement } from '../steps/pinned-requirements'
import { compileArgv } from '../steps/resolve-requirements'
import {
  LEGACY_BUILD_REQUIRES,
  pinKey,
  type BuildSystem,
  type BuildSystems,
} from '../verify/build-systems'
import { renderBuildSystems } from '../verify/build-systems-file'
import { siteTargets } from '../verify/targets'
import { appendBackendSection, withoutBackendSection } from './backend-section'
import { readBuildRequires } from './read-build-requires'
import { sdistPins, type SdistPin } from './sdist-pins'
import { upstreamReleaseFiles } from './upstream-releases'

/** A backend built from its own sdist needs its backend too: this many levels at most. */
const MAX_ROUNDS = 3

function pinText(pin: PinnedRequirement): string {
  return `${pin.name}==${pin.version}${pin.marker ? ` ; ${pin.marker}` : ''}`
}

/** The closure pip installs into the isolated build environment: resolved like the mirror's own. */
async function resolveClosure(
  host: RemoteHost,
  mirror: MirrorSite,
  requires: readonly string[],
): Promise<PinnedRequirement[]> {
  if (requires.length === 0) return []
  const result = await host.read(compileArgv(mirror, '-', null), {
    stdin: `${requires.join('\n')}\n`,
    quiet: true,
  })
  if (result.code !== 0)
    throw new EngineError(
      `Resolving the build backend ${requires.join(', ')} failed:\n${result.stderr.trim().split('\n').slice(-4).join('\n')}`,
      {
        host: host.label,
        hint: 'the sdist names a build requirement the upstream cannot satisfy: pin another release of that project',
      },
    )
  return parsePinnedRequirements(result.stdout)
}

async function declaredSystems(
  host: RemoteHost,
  mirror: MirrorSite,
  sdists: readonly SdistPin[],
): Promise<Map<SdistPin, Omit<BuildSystem, 'closure'>>> {
  const keys = new Map(sdists.map((s) => [pinKey(s.pin.name, s.pin.version), s]))
  const declared = await readBuildRequires(
    host,
    Object.fromEntries([...keys].map(([key, s]) => [key, s.url])),
    mirror.proxy,
  )
  const out = new Map<SdistPin, Omit<BuildSystem, 'closure'>>()
  for (const [key, sdist] of keys) {
    const found = declared[key]
    if (!found || found.error)
      throw new EngineError(
        `Reading the build-system of ${sdist.filename} (${sdist.url}) failed: ${found?.error ?? 'no answer'}`,
        { host: host.label, hint: 'check that the host reaches the upstream, then apply again' },
      )
    out.set(sdist, {
      requires: found.requires ?? [...LEGACY_BUILD_REQUIRES],
      backend: found.backend,
      source: found.source,
    })
  }
  return out
}

/** What the resolution writes once the build backends are known: both files, whole. */
export interface BackendResolution {
  systems: BuildSystems
  /** The resolved requirements.txt with the backends' section appended. */
  requirementsTxt: string
  /** build-systems.json: each sdist's build-system and its closure, for the proof. */
  buildSystemsJson: string
}

/**
 * After the closure is resolved: the pins pip would build from an sdist on some target get their
 * build backend resolved and pinned too (from the sdist's pyproject.toml, setuptools' legacy
 * default otherwise), appended to requirements.txt as `# via build backend of <pin>` so that
 * bandersnatch mirrors them, and recorded in build-systems.json for the proof. Reads only (the
 * upstream's pages and sdists, the resolver's answer on stdout): the caller writes the files,
 * as planned changes.
 */
export async function resolveBuildBackends(
  host: RemoteHost,
  mirror: MirrorSite,
  resolved: string,
  log: (line: string) => void,
): Promise<BackendResolution> {
  const base = withoutBackendSection(resolved)
  const present = parsePinnedRequirements(base)
  const known = new Set(present.map(pinText))
  const targets = siteTargets(mirror)
  const systems: BuildSystems = {}
  const closures = new Map<string, PinnedRequirement[]>()
  const byRequires = new Map<string, PinnedRequirement[]>()
  let toCheck = present
  for (let round = 0; round < MAX_ROUNDS && toCheck.length > 0; round++) {
    const pages = await upstreamReleaseFiles(host, mirror, toCheck)
    const sdists = sdistPins(toCheck, targets, pages).filter(
      (s) => !systems[pinKey(s.pin.name, s.pin.version)],
    )
    if (sdists.length === 0) break
    const next: PinnedRequirement[] = []
    for (const [sdist, declared] of await declaredSystems(host, mirror, sdists)) {
      const key = pinKey(sdist.pin.name, sdist.pin.version)
      const requiresKey = JSON.stringify(declared.requires)
      const closure =
        byRequires.get(requiresKey) ?? (await resolveClosure(host, mirror, declared.requires))
      byRequires.set(requiresKey, closure)
      systems[key] = { ...declared, closure: closure.map(pinText) }
      closures.set(key, closure)
      log(
        `${key} builds from ${sdist.filename} on ${sdist.targets.length} target(s): build-system.requires ${declared.requires.join(', ') || '(none)'} (${declared.source}) → ${closure.map(pinText).join(', ') || 'nothing to add'}`,
      )
      for (const pin of closure)
        if (!known.has(pinText(pin))) {
          known.add(pinText(pin))
          next.push(pin)
        }
    }
    toCheck = next
  }
  return {
    systems,
    requirementsTxt: appendBackendSection(base, present, closures),
    buildSystemsJson: renderBuildSystems(systems),
  }
}
