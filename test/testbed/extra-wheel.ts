import { join } from 'node:path'
import { execFileAsync } from './processes'
import { STANDIN_DIR, SYSTEM_PYTHON } from './pypi-standin'

export interface ExtraWheel {
  name: string
  version: string
  /** Compressed wheel tag, e.g. `py3-none-manylinux2014_x86_64`. */
  tag: string
  requiresPython?: string
  requiresDist?: string[]
}

export interface ExtraSdist {
  name: string
  version: string
  requiresPython?: string
  requiresDist?: string[]
  /** pyproject.toml's build-system.requires (backend pmw_build); null: no pyproject.toml. */
  buildRequires: string[] | null
}

/** Runs one of build_wheels.py's builders with JSON arguments; prints the file it wrote. */
async function build(wheelsDir: string, call: string, args: object): Promise<string> {
  const program = [
    'import json, sys',
    'from pathlib import Path',
    'sys.path.insert(0, sys.argv[1])',
    'import build_wheels',
    'a = json.loads(sys.argv[3])',
    `out = ${call}`,
    'print("\\n".join(p.name for p in (out if isinstance(out, list) else [out])))',
  ].join('\n')
  const { stdout } = await execFileAsync(SYSTEM_PYTHON, [
    '-B',
    '-c',
    program,
    STANDIN_DIR,
    wheelsDir,
    JSON.stringify(args),
  ])
  return stdout.trim()
}

/**
 * Builds one more wheel into a stand-in's wheels directory with build_wheels.py's own builder:
 * the stand-in rescans on each request, so it is a new upload with the next serial.
 */
export async function addStandinWheel(wheelsDir: string, wheel: ExtraWheel): Promise<string> {
  const args = { requiresPython: '>=3.8', requiresDist: [], ...wheel }
  const name = await build(
    wheelsDir,
    "build_wheels.build_wheel(Path(sys.argv[2]), a['name'], a['version'], a['requiresPython'], a['requiresDist'], a['tag'])",
    args,
  )
  return join(wheelsDir, name)
}

/** One sdist (name-version.tar.gz) that builds with pmw_build, the stand-in's own backend. */
export async function addStandinSdist(wheelsDir: string, sdist: ExtraSdist): Promise<string> {
  const args = { requiresPython: '>=3.8', requiresDist: [], ...sdist }
  const name = await build(
    wheelsDir,
    "build_wheels.build_sdist(Path(sys.argv[2]), a['name'], a['version'], a['requiresPython'], a['requiresDist'], a['buildRequires'])",
    args,
  )
  return join(wheelsDir, name)
}

/** The build backend's wheels: pmw-build 1.0 (requires pmw-build-support) and pmw-build-support 1.0. */
export async function addBuildBackendWheels(wheelsDir: string): Promise<string[]> {
  const names = await build(wheelsDir, 'build_wheels.build_backend_wheels(Path(sys.argv[2]))', {})
  return names.split('\n').map((name) => join(wheelsDir, name))
}
