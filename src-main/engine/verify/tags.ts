import { MACOS_RELEASE, type Target } from './targets'

/**
 * Wheel tags as pip computes them for a CPython target (packaging.tags: cpython_tags then
 * compatible_tags), most preferred first. Only the set decides whether a wheel installs; the
 * order picks the file pip would choose.
 */

/** Oldest glibc with manylinux wheels: 2.5 (manylinux1) on x86, 2.17 elsewhere (PEP 599/600). */
function oldestGlibcMinor(arch: string): number {
  return arch === 'x86_64' ? 5 : 17
}

const LEGACY_MANYLINUX: Record<number, string> = {
  17: 'manylinux2014',
  12: 'manylinux2010',
  5: 'manylinux1',
}

function linuxPlatforms(t: Target): string[] {
  const platforms = [`linux_${t.arch}`]
  const libc = t.libc
  if (!libc) return platforms
  if (libc.kind === 'musl') {
    for (let minor = libc.minor; minor >= 0; minor--)
      platforms.push(`musllinux_${libc.major}_${minor}_${t.arch}`)
    return platforms
  }
  // glibc 2.x only: no other major has ever shipped.
  for (let minor = libc.minor; minor >= oldestGlibcMinor(t.arch); minor--) {
    platforms.push(`manylinux_2_${minor}_${t.arch}`)
    const legacy = LEGACY_MANYLINUX[minor]
    if (legacy) platforms.push(`${legacy}_${t.arch}`)
  }
  return platforms
}

function macBinaryFormats(major: number, minor: number, arch: string): string[] {
  if (arch === 'arm64') return ['arm64', 'universal2']
  if (major === 10 && minor < 4) return []
  return ['x86_64', 'intel', 'fat64', 'fat3', 'universal2', 'universal']
}

function macPlatforms(arch: 'x86_64' | 'arm64'): string[] {
  const [release] = MACOS_RELEASE
  const platforms: string[] = []
  for (let major = release; major > 10; major--)
    for (const format of macBinaryFormats(major, 0, arch))
      platforms.push(`macosx_${major}_0_${format}`)
  for (let minor = 16; minor > 3; minor--) {
    const formats = arch === 'x86_64' ? macBinaryFormats(10, minor, arch) : ['universal2']
    for (const format of formats) platforms.push(`macosx_10_${minor}_${format}`)
  }
  return platforms
}

export function platformTags(t: Target): string[] {
  if (t.os === 'linux') return linuxPlatforms(t)
  if (t.os === 'macos') return macPlatforms(t.arch === 'aarch64' ? 'arm64' : 'x86_64')
  return [t.arch === 'aarch64' ? 'win_arm64' : 'win_amd64']
}

function minorOf(t: Target): number {
  return Number(t.python.split('.')[1])
}

/** Every tag pip accepts on the target, best first (`interpreter-abi-platform`). */
export function supportedTags(t: Target): string[] {
  const minor = minorOf(t)
  const interpreter = `cp3${minor}`
  const abi = minor < 8 ? `${interpreter}m` : interpreter
  const platforms = platformTags(t)
  const tags: string[] = []
  for (const p of platforms) tags.push(`${interpreter}-${abi}-${p}`)
  for (const p of platforms) tags.push(`${interpreter}-abi3-${p}`)
  for (const p of platforms) tags.push(`${interpreter}-none-${p}`)
  for (let older = minor - 1; older > 1; older--)
    for (const p of platforms) tags.push(`cp3${older}-abi3-${p}`)
  const pythons = [`py3${minor}`, 'py3']
  for (let older = minor - 1; older >= 0; older--) pythons.push(`py3${older}`)
  for (const py of pythons) for (const p of platforms) tags.push(`${py}-none-${p}`)
  tags.push(`${interpreter}-none-any`)
  for (const py of pythons) tags.push(`${py}-none-any`)
  return tags
}

export interface WheelName {
  /** The distribution part of the name, as written in the file name. */
  distribution: string
  version: string
  build: string | null
  /** The expanded tags (`py2.py3-none-any` is two), lowercased. */
  tags: string[]
}

/** `name-version(-build)?-python-abi-platform.whl`; null when the name is not a wheel's. */
export function parseWheelName(filename: string): WheelName | null {
  if (!filename.toLowerCase().endsWith('.whl')) return null
  const parts = filename.slice(0, -4).split('-')
  if (parts.length !== 5 && parts.length !== 6) return null
  const [distribution, version] = parts as [string, string]
  const [python, abi, platform] = parts.slice(-3) as [string, string, string]
  const tags: string[] = []
  for (const py of python.toLowerCase().split('.'))
    for (const a of abi.toLowerCase().split('.'))
      for (const p of platform.toLowerCase().split('.')) tags.push(`${py}-${a}-${p}`)
  return { distribution, version, build: parts.length === 6 ? (parts[2] as string) : null, tags }
}

/** Where the best of a wheel's tags ranks on the target (lower is better); -1 when none fits. */
export function wheelRank(wheel: WheelName, supported: ReadonlyMap<string, number>): number {
  let best = -1
  for (const tag of wheel.tags) {
    const rank = supported.get(tag)
    if (rank !== undefined && (best < 0 || rank < best)) best = rank
  }
  return best
}

/** supportedTags as a tag → rank map, for repeated lookups. */
export function tagRanks(t: Target): Map<string, number> {
  return new Map(supportedTags(t).map((tag, i) => [tag, i]))
}
