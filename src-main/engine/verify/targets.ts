import type { MarkerEnvironment } from './markers'

/**
 * One interpreter the mirror must serve: CPython X.Y on an OS and CPU, with the C library that
 * decides which manylinux / musllinux wheels pip accepts there.
 */
export interface Target {
  /** "3.10" */
  python: string
  os: 'linux' | 'macos' | 'windows'
  arch: 'x86_64' | 'aarch64'
  /** Linux only: the C library of the worker's sandboxes, e.g. glibc 2.35 (Ubuntu 22.04, ol-min). */
  libc: { kind: 'glibc' | 'musl'; major: number; minor: number } | null
}

/**
 * The macOS a `macos` target stands for: pip there accepts wheels built for this release and
 * every older one. Workers are Linux; macOS is here for mirrors shared with developers' machines.
 */
export const MACOS_RELEASE: readonly [number, number] = [14, 0]

/** ol-min, the sandboxes' base image, is Ubuntu 22.04: glibc 2.35. */
export const DEFAULT_LIBC = 'glibc 2.35'

export function parseLibc(text: string): Target['libc'] {
  const m = /^(glibc|musl)[ -]?(\d+)\.(\d+)$/.exec(text.trim())
  return m ? { kind: m[1] as 'glibc' | 'musl', major: Number(m[2]), minor: Number(m[3]) } : null
}

export function targetId(t: Target): string {
  const libc = t.libc ? `-${t.libc.kind}${t.libc.major}.${t.libc.minor}` : ''
  return `cp${t.python}-${t.os}-${t.arch}${libc}`
}

/** "CPython 3.10, Linux x86_64 (glibc 2.35)" */
export function targetLabel(t: Target): string {
  const os = { linux: 'Linux', macos: `macOS ${MACOS_RELEASE.join('.')}`, windows: 'Windows' }[t.os]
  const libc = t.libc ? ` (${t.libc.kind} ${t.libc.major}.${t.libc.minor})` : ''
  return `CPython ${t.python}, ${os} ${t.os === 'macos' && t.arch === 'aarch64' ? 'arm64' : t.arch}${libc}`
}

export interface TargetSettings {
  pythonVersions: readonly string[]
  platforms: readonly ('linux' | 'macos' | 'windows')[]
  architectures: readonly ('x86_64' | 'aarch64')[]
  libc: string
}

/** The site's targets: every Python × platform × architecture, in the site's order. */
export function siteTargets(settings: TargetSettings): Target[] {
  const libc = parseLibc(settings.libc) ?? parseLibc(DEFAULT_LIBC)
  const targets: Target[] = []
  for (const python of settings.pythonVersions)
    for (const os of settings.platforms)
      for (const arch of settings.architectures)
        targets.push({ python, os, arch, libc: os === 'linux' ? libc : null })
  return targets
}

/**
 * The marker environments of a target: one for its first patch release and one for a late one,
 * since only X.Y is known (`python_full_version >= '3.10.1'` then needs the pin on some 3.10).
 * platform_release and platform_version stay unknown.
 */
export function markerEnvironments(t: Target): MarkerEnvironment[] {
  const common: MarkerEnvironment = {
    python_version: t.python,
    os_name: t.os === 'windows' ? 'nt' : 'posix',
    sys_platform: { linux: 'linux', macos: 'darwin', windows: 'win32' }[t.os],
    platform_system: { linux: 'Linux', macos: 'Darwin', windows: 'Windows' }[t.os],
    platform_machine: {
      linux: t.arch,
      macos: t.arch === 'aarch64' ? 'arm64' : 'x86_64',
      windows: t.arch === 'aarch64' ? 'ARM64' : 'AMD64',
    }[t.os],
    platform_python_implementation: 'CPython',
    implementation_name: 'cpython',
    extra: '',
  }
  return ['0', '99'].map((patch) => ({
    ...common,
    python_full_version: `${t.python}.${patch}`,
    implementation_version: `${t.python}.${patch}`,
  }))
}

/** The version pip checks `requires-python` against for `--python-version X.Y`: X.Y.0. */
export function requiresPythonVersion(t: Target): string {
  return `${t.python}.0`
}
