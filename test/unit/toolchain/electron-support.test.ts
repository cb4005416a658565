import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import semver from 'semver'
import { projectRoot } from '../../../scripts/toolchain-node.mjs'

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T

/**
 * Electron gives security fixes to its three newest stable major lines. Which those are comes from
 * the release table of electron-to-chromium (a devDependency, pinned by the lockfile like any
 * other, and moved on by the update bot): every Electron release with the Chromium inside it.
 */
function supportedElectronMajors(): number[] {
  const require = createRequire(join(projectRoot, 'package.json'))
  const releases = require('electron-to-chromium/full-versions.json') as Record<string, string>
  const stable = Object.keys(releases).filter((version) => /^\d+\.\d+\.\d+$/.test(version))
  const majors = [...new Set(stable.map((version) => semver.major(version)))]
  return majors.sort((a, b) => b - a).slice(0, 3)
}

describe('Electron', () => {
  const packageJson = readJson<{ devDependencies: Record<string, string> }>(
    join(projectRoot, 'package.json'),
  )
  const lock = readJson<{ packages: Record<string, { version: string }> }>(
    join(projectRoot, 'package-lock.json'),
  )
  const supported = supportedElectronMajors()
  const asked = semver.minVersion(packageJson.devDependencies.electron!)!.major

  it('is asked for in a major line that still gets security fixes', () => {
    expect(supported).toHaveLength(3)
    expect(supported).toContain(asked)
  })

  it('is installed by the lockfile in that line', () => {
    const installed = lock.packages['node_modules/electron']!.version
    expect(semver.major(installed)).toBe(asked)
    expect(semver.satisfies(installed, packageJson.devDependencies.electron!)).toBe(true)
  })

  it('is the one the README names', () => {
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8')
    expect(readme).toContain(`Electron ${asked}`)
  })
})
