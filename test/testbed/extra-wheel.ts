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

/**
 * Builds one more wheel into a stand-in's wheels directory with build_wheels.py's own builder:
 * the stand-in rescans on each request, so it is a new upload with the next serial.
 */
export async function addStandinWheel(wheelsDir: string, wheel: ExtraWheel): Promise<string> {
  const program = [
    'import json, sys',
    'from pathlib import Path',
    'sys.path.insert(0, sys.argv[1])',
    'from build_wheels import build_wheel',
    'w = json.loads(sys.argv[3])',
    "print(build_wheel(Path(sys.argv[2]), w['name'], w['version'], w['requiresPython'], w['requiresDist'], w['tag']).name)",
  ].join('\n')
  const { stdout } = await execFileAsync(SYSTEM_PYTHON, [
    '-B',
    '-c',
    program,
    STANDIN_DIR,
    wheelsDir,
    JSON.stringify({ requiresPython: '>=3.8', requiresDist: [], ...wheel }),
  ])
  return join(wheelsDir, stdout.trim())
}
