import { ConfigInputError } from './config-input-error'

/**
 * The `[blocklist] platforms` list for bandersnatch's `exclude_platform` plugin: what the mirror
 * can leave out given the platforms and Python versions its workers run.
 *
 * The plugin drops a release file when its name contains a pattern derived from each entry, so
 * some entries remove more than their name says:
 * - `py2` would also match `-py2.py3-` universal wheels (six, python-dateutil ...), and `py3`
 *   every `-py3-none-any` wheel: Python 2 is excluded minor by minor instead.
 * - An older minor such as `py3.8` matches `-cp38-abi3-` wheels, which newer Pythons install
 *   (cryptography ships little else): only minors newer than the newest kept one are excluded.
 */

export type MirrorPlatform = 'linux' | 'macos' | 'windows'

const PLATFORM_TAGS: readonly MirrorPlatform[] = ['windows', 'macos', 'linux']
const PYTHON2_TAGS = ['py2.4', 'py2.5', 'py2.6', 'py2.7']
/** bandersnatch ignores names it does not know, so naming future minors here is harmless. */
const NEWEST_PYTHON3_MINOR = 14

export function platformBlocklist(
  keptPlatforms: readonly string[],
  pythonVersions: readonly string[],
): string[] {
  if (keptPlatforms.length === 0) {
    throw new ConfigInputError('platforms', 'must keep at least one of linux, macos, windows')
  }
  for (const platform of keptPlatforms) {
    if (!(PLATFORM_TAGS as readonly string[]).includes(platform)) {
      throw new ConfigInputError('platforms', `"${platform}" is not one of linux, macos, windows`)
    }
  }
  const newestKeptMinor = Math.max(...pythonMinors(pythonVersions))

  const excludedPlatforms = PLATFORM_TAGS.filter((platform) => !keptPlatforms.includes(platform))
  const excludedPython3 = []
  for (let minor = newestKeptMinor + 1; minor <= NEWEST_PYTHON3_MINOR; minor++) {
    excludedPython3.push(`py3.${minor}`)
  }
  return [...excludedPlatforms, 'freebsd', ...PYTHON2_TAGS, ...excludedPython3]
}

function pythonMinors(pythonVersions: readonly string[]): number[] {
  if (pythonVersions.length === 0) {
    throw new ConfigInputError(
      'pythonVersions',
      'must name at least one Python version, e.g. "3.11"',
    )
  }
  return pythonVersions.map((version) => {
    const match = /^3\.(\d{1,2})$/.exec(version)
    if (!match) {
      throw new ConfigInputError(
        'pythonVersions',
        `"${version}" is not a Python 3 version such as "3.11"`,
      )
    }
    return Number(match[1])
  })
}
