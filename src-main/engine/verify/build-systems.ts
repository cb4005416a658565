import { z } from 'zod'

/**
 * What building an sdist needs, recorded at resolution time next to requirements.txt: pip
 * builds an sdist in an isolated environment whose packages (the build backend and its own
 * dependencies) come from the same index, even with `--no-deps`.
 */
export const buildSystemSchema = z.object({
  /** `build-system.requires` as the sdist's pyproject.toml declares it. */
  requires: z.array(z.string()),
  /** `build-system.build-backend`; null for the legacy setuptools default. */
  backend: z.string().nullable(),
  /** Where `requires` came from. */
  source: z.enum(['pyproject.toml', 'legacy default']),
  /** The pinned closure of `requires` (uv pip compile --universal), marker lines included. */
  closure: z.array(z.string()),
})

export const buildSystemsSchema = z.record(z.string(), buildSystemSchema)

export type BuildSystem = z.infer<typeof buildSystemSchema>
/** By pin, `name==version` with the PEP 503 name. */
export type BuildSystems = z.infer<typeof buildSystemsSchema>

/**
 * pip's build requirements for an sdist without `[build-system]`: setuptools >= 40.8.0, and
 * `wheel` for pip releases before 23.1 (Debian 12's venv pip is 23.0.1).
 */
export const LEGACY_BUILD_REQUIRES: readonly string[] = ['setuptools>=40.8.0', 'wheel']

/** How requirements.txt marks a build backend's pins in its `# via` comments. */
export const BUILD_BACKEND_VIA = 'build backend of '

export function pinKey(name: string, version: string): string {
  return `${name}==${version}`
}

/** The sdist pins whose build environment needs this pin (from its `# via` lines). */
export function buildBackendOf(via: readonly string[]): string[] {
  return via
    .filter((line) => line.startsWith(BUILD_BACKEND_VIA))
    .map((line) => line.slice(BUILD_BACKEND_VIA.length).trim())
}
