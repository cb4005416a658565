import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TargetMatrix } from '../../src-main/engine/verify/matrix-types'
import { ensureCliBuilt, jsonLines, runPipMirror } from '../testbed/cli'
import { addStandinWheel } from '../testbed/extra-wheel'
import { startMirrorHostBed, type MirrorHostBed } from '../testbed/mirror-host'
import { buildStandinWheels, startPypiStandin, type PypiStandin } from '../testbed/pypi-standin'

/**
 * The issue's own case through the real `pip-mirror` command: a site for Python 3.10 and 3.11,
 * mirrored from an upstream whose corelib has wheels for CPython 3.11 and 3.13 only. Resolving
 * succeeds (uv takes the release), so only a proof per target can tell that 3.10 gets nothing.
 */
let bed: MirrorHostBed
let upstream: PypiStandin
let work: string
let sitePath: string
let acceptKey: string[]

beforeAll(async () => {
  await ensureCliBuilt()
  work = await mkdtemp(join(tmpdir(), 'pmw-cli-targets-'))
  const wheels = join(work, 'upstream')
  await buildStandinWheels(wheels)
  for (const python of ['cp311', 'cp313'])
    await addStandinWheel(wheels, {
      name: 'corelib',
      version: '2.0',
      tag: `${python}-${python}-manylinux_2_17_x86_64.manylinux2014_x86_64`,
    })
  upstream = await startPypiStandin({ wheelsDir: wheels })
  bed = await startMirrorHostBed()
  const site = await bed.newSite({ requirements: ['alpha', 'corelib'], upstream: upstream.url })
  sitePath = site.path
  const input = site.input as { mirror: Record<string, unknown> }
  input.mirror.pythonVersions = ['3.10', '3.11']
  await writeFile(sitePath, JSON.stringify(input, null, 2))
  acceptKey = ['--known-hosts', bed.knownHosts, '--accept-host-key', bed.sshd.hostKeyFingerprint]
})

afterAll(async () => {
  await bed?.stop()
  await upstream?.stop()
  if (work) await rm(work, { recursive: true, force: true })
})

describe('pip-mirror apply on a site with a Python its wheels lack', () => {
  it('exits 1 naming the pin, the target, the reason and the fix, with the matrix in the log', async () => {
    const result = await runPipMirror(['apply', '--site', sitePath, '--yes', ...acceptKey])
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(1)
    expect(result.stdout).toMatch(/pin\s+3\.10 linux x86_64\s+3\.11 linux x86_64/)
    expect(result.stdout).toMatch(/corelib==2\.0\s+NO FILE\s+installs/)
    expect(result.stdout).toMatch(/alpha==1\.1\s+installs\s+installs/)
    expect(result.stdout).toContain(
      'corelib==2.0 does not install on CPython 3.10, Linux x86_64 (glibc 2.35)',
    )
    // bandersnatch 6.8 leaves cp313 out (pythonVersions stop at 3.11); 6.6 keeps it.
    expect(result.stdout).toMatch(
      /fix: change the pin: corelib 2\.0 has wheels for cp311(, cp313)? only, not CPython 3\.10/,
    )
    // alpha, beta, gamma and corelib on both Pythons; winhelper is for Windows only.
    expect(result.stdout).toContain(
      '1 of 8 needed pin × target cells do not install from the mirror: corelib==2.0 on CPython 3.10, Linux x86_64 (glibc 2.35)',
    )
    expect(result.stdout).toContain('Failed at verify.')
    expect(result.stdout).not.toContain('install with pip')
  })

  it('--json prints the matrix as one event', async () => {
    const result = await runPipMirror([
      'apply',
      '--site',
      sitePath,
      '--yes',
      '--json',
      ...acceptKey,
    ])
    expect(result.code).toBe(1)
    const event = jsonLines(result.stdout).find((e) => e.type === 'target-matrix') as
      (TargetMatrix & { type: string }) | undefined
    expect(event?.targets.map((t) => t.id)).toEqual([
      'cp3.10-linux-x86_64-glibc2.35',
      'cp3.11-linux-x86_64-glibc2.35',
    ])
    const corelib = event?.rows.find((row) => row.name === 'corelib')
    expect(corelib?.cells.map((cell) => cell.state)).toEqual(['no-file', 'installs'])
    expect(corelib?.cells[0]?.fix).toMatch(/^change the pin: /)
    expect(event?.failures).toBe(1)
  })
})
