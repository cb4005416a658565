import type { DistFile } from './index-page'
import { parseWheelName, platformTags } from './tags'
import { targetLabel, type Target } from './targets'

/** The OS a wheel platform tag is for, as the site's `platforms` names it. */
function osOf(platform: string): Target['os'] | null {
  if (/^(many|musl)?linux/.test(platform)) return 'linux'
  if (platform.startsWith('macosx_')) return 'macos'
  if (platform.startsWith('win')) return 'windows'
  return null
}

/**
 * The fix for "no file for this target", from what the mirror does have: wheels for this
 * platform but other Pythons mean the release itself lacks one (change the pin); wheels for
 * other platforms only mean the mirror's filter may have left this one out (add the platform).
 */
export function noFileFix(
  name: string,
  version: string,
  files: DistFile[],
  target: Target,
): string {
  const tags = files.flatMap((f) => parseWheelName(f.filename)?.tags ?? [])
  const ours = new Set(platformTags(target))
  const samePlatform = tags.filter((tag) => ours.has(tag.split('-')[2] as string))
  if (samePlatform.length > 0) {
    const pythons = [...new Set(samePlatform.map((tag) => tag.split('-')[0]))].join(', ')
    return `change the pin: ${name} ${version} has wheels for ${pythons} only, not CPython ${target.python}, and no sdist; pin a release with a cp3${target.python.split('.')[1]} wheel or an sdist, or drop ${target.python} from pythonVersions`
  }
  const sameOs = tags.some((tag) => osOf(tag.split('-')[2] as string) === target.os)
  if (sameOs)
    return `change the pin or the target: ${name} ${version}'s ${target.os} wheels need another CPU or a newer C library than ${targetLabel(target)}; pin a release built for it, or correct mirror.architectures / mirror.libc`
  return `add the platform: keep ${target.os} files in the mirror (mirror.platforms) and sync again; if the upstream has none for ${name} ${version} either, change the pin`
}
