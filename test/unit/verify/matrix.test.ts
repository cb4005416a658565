import { describe, expect, it } from 'vitest'
import type { BuildSystems } from '../../../src-main/engine/verify/build-systems'
import type { IndexFile } from '../../../src-main/engine/verify/index-page'
import {
  computeMatrix,
  filesReliedOn,
  type MatrixInput,
} from '../../../src-main/engine/verify/matrix'
import { failingCells } from '../../../src-main/engine/verify/matrix-types'
import type { ProjectPage } from '../../../src-main/engine/verify/release-verdict'
import { siteTargets } from '../../../src-main/engine/verify/targets'
import type { PinnedRequirement } from '../../../src-main/engine/steps/pinned-requirements'

const MIRROR = 'http://10.0.0.5:8080/pypi'

function file(filename: string, requiresPython: string | null = null): IndexFile {
  return {
    filename,
    url: `${MIRROR}/packages/xx/${filename}`,
    requiresPython,
    sha256: 'c'.repeat(64),
    yanked: false,
  }
}

function page(name: string, files: IndexFile[], status = 200): [string, ProjectPage] {
  return [name, { url: `${MIRROR}/simple/${name}/`, status, error: null, files }]
}

function pin(line: string, via: string[] = ['-r requirements.in']): PinnedRequirement {
  const [spec, marker = ''] = line.split(' ; ')
  const [name, version] = (spec as string).split('==') as [string, string]
  return { name, version, marker, via, direct: via.some((v) => v.startsWith('-r ')) }
}

const PAGES = new Map<string, ProjectPage>([
  page('pydantic-core', [
    file(
      'pydantic_core-2.14.6-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
      '>=3.8',
    ),
    file(
      'pydantic_core-2.14.6-cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
      '>=3.8',
    ),
  ]),
  page('tomli', [file('tomli-2.0.1-py3-none-any.whl', '>=3.7')]),
  page('newer', [file('newer-2.0-py3-none-any.whl', '>=3.11')]),
  page('legacy', [file('legacy-1.0.tar.gz', '>=3.8')]),
  page('flit-core', [file('flit_core-3.9.0-py3-none-any.whl', '>=3.6')]),
  page('macgamma', [file('macgamma-1.0-py3-none-macosx_11_0_arm64.whl')]),
  page('forbidden', [], 403),
])

const TARGETS = siteTargets({
  pythonVersions: ['3.10', '3.11'],
  platforms: ['linux'],
  architectures: ['x86_64'],
  libc: 'glibc 2.35',
})

function matrix(pins: PinnedRequirement[], extra: Partial<MatrixInput> = {}) {
  return computeMatrix({
    pins,
    targets: TARGETS,
    pages: PAGES,
    buildSystems: null,
    fileStatus: null,
    ...extra,
  })
}

function states(pins: PinnedRequirement[], extra: Partial<MatrixInput> = {}) {
  return matrix(pins, extra).rows.map((row) => [row.name, ...row.cells.map((c) => c.state)])
}

describe('the matrix', () => {
  it('names each target', () => {
    expect(matrix([]).targets).toEqual([
      { id: 'cp3.10-linux-x86_64-glibc2.35', label: 'CPython 3.10, Linux x86_64 (glibc 2.35)' },
      { id: 'cp3.11-linux-x86_64-glibc2.35', label: 'CPython 3.11, Linux x86_64 (glibc 2.35)' },
    ])
  })

  it('finds the 3.10 gap: wheels for cp311 and cp313 only', () => {
    const m = matrix([pin('pydantic-core==2.14.6')])
    const [cp310, cp311] = m.rows[0]!.cells
    expect(cp310).toMatchObject({ state: 'no-file', file: null })
    expect(cp310?.reason).toContain(
      'no file of pydantic-core 2.14.6 installs on CPython 3.10, Linux x86_64 (glibc 2.35)',
    )
    expect(cp310?.fix).toContain(
      'change the pin: pydantic-core 2.14.6 has wheels for cp311, cp313 only, not CPython 3.10',
    )
    expect(cp311).toMatchObject({
      state: 'installs',
      via: 'wheel',
      file: 'pydantic_core-2.14.6-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
    })
    expect(m.failures).toBe(1)
    expect(failingCells(m).map((f) => [f.row.name, f.target.label])).toEqual([
      ['pydantic-core', 'CPython 3.10, Linux x86_64 (glibc 2.35)'],
    ])
  })

  it('skips a marker-only dependency where its marker is false', () => {
    const m = matrix([pin("tomli==2.0.1 ; python_full_version < '3.11'")])
    expect(m.rows[0]!.cells.map((c) => c.state)).toEqual(['installs', 'not-needed'])
    expect(m.rows[0]!.cells[1]?.reason).toBe(
      `not needed: "python_full_version < '3.11'" is false on CPython 3.11, Linux x86_64 (glibc 2.35)`,
    )
    expect(m.failures).toBe(0)
  })

  it('keeps a pin needed where its marker cannot be decided', () => {
    const [cell] = matrix([pin("tomli==2.0.1 ; platform_release >= '5'")]).rows[0]!.cells
    expect(cell).toMatchObject({ state: 'installs', markerUndecided: true })
  })

  it('excludes a release by its requires-python', () => {
    const m = matrix([pin('newer==2.0')])
    const [cp310, cp311] = m.rows[0]!.cells
    expect(cp310?.state).toBe('requires-python')
    expect(cp310?.reason).toBe(
      'newer 2.0 requires Python >=3.11 (newer-2.0-py3-none-any.whl): not CPython 3.10',
    )
    expect(cp310?.fix).toMatch(
      /^change the pin: choose a release of newer that supports Python 3.10/,
    )
    expect(cp311?.state).toBe('installs')
  })

  it('needs the backend of an sdist: unknown, missing, then mirrored', () => {
    const legacy = [pin('legacy==1.0')]
    const unknown = matrix(legacy).rows[0]!.cells[0]
    expect(unknown).toMatchObject({
      state: 'backend-missing',
      file: 'legacy-1.0.tar.gz',
      via: 'sdist',
    })
    expect(unknown?.fix).toMatch(/^add the backend: apply again from the requirements step/)

    const needsHatch: BuildSystems = {
      'legacy==1.0': {
        requires: ['hatchling'],
        backend: 'hatchling.build',
        source: 'pyproject.toml',
        closure: ['hatchling==1.25.0', "tomli==2.0.1 ; python_full_version < '3.11'"],
      },
    }
    const missing = matrix(legacy, { buildSystems: needsHatch }).rows[0]!.cells[0]
    expect(missing?.state).toBe('backend-missing')
    expect(missing?.reason).toContain(
      'pip builds it with hatchling, and the mirror lacks hatchling==1.25.0 for this target',
    )
    expect(missing?.fix).toContain('add the backend: add hatchling==1.25.0 to the mirror')

    const flit: BuildSystems = {
      'legacy==1.0': {
        requires: ['flit_core>=3.4'],
        backend: 'flit_core.buildapi',
        source: 'pyproject.toml',
        closure: ['flit-core==3.9.0', "tomli==2.0.1 ; python_full_version < '3.11'"],
      },
    }
    const input = {
      pins: legacy,
      targets: TARGETS,
      pages: PAGES,
      buildSystems: flit,
      fileStatus: null,
    }
    const built = computeMatrix(input).rows[0]!.cells
    expect(built.map((c) => [c.state, c.via])).toEqual([
      ['installs', 'sdist'],
      ['installs', 'sdist'],
    ])
    expect(built[0]?.reason).toBe(
      'builds legacy-1.0.tar.gz with flit_core>=3.4 (pyproject.toml), all served by the mirror',
    )
    // The backend's own closure is part of the proof: tomli only where its marker holds.
    expect(filesReliedOn(input)).toEqual([
      `${MIRROR}/packages/xx/flit_core-3.9.0-py3-none-any.whl`,
      `${MIRROR}/packages/xx/legacy-1.0.tar.gz`,
      `${MIRROR}/packages/xx/tomli-2.0.1-py3-none-any.whl`,
    ])
  })

  it('says to add the platform when the mirror has wheels for another OS only', () => {
    const [cell] = matrix([pin('macgamma==1.0')]).rows[0]!.cells
    expect(cell?.state).toBe('no-file')
    expect(cell?.fix).toMatch(
      /^add the platform: keep linux files in the mirror \(mirror.platforms\)/,
    )
  })

  it('fails a release the mirror does not serve: page refused, release absent, file refused', () => {
    expect(states([pin('forbidden==1.0'), pin('tomli==9.9'), pin('absent==1.0')])).toEqual([
      ['forbidden', 'not-served', 'not-served'],
      ['tomli', 'not-served', 'not-served'],
      ['absent', 'not-served', 'not-served'],
    ])
    const m = matrix([pin('forbidden==1.0'), pin('tomli==9.9')])
    expect(m.rows[0]!.cells[0]?.fix).toContain('pip-mirror doctor')
    expect(m.rows[1]!.cells[0]?.reason).toBe(
      `${MIRROR}/simple/tomli/ lists no file of tomli 9.9 (only 2.0.1)`,
    )

    const fileStatus = new Map([[`${MIRROR}/packages/xx/tomli-2.0.1-py3-none-any.whl`, 404]])
    const [cell] = matrix([pin('tomli==2.0.1')], { fileStatus }).rows[0]!.cells
    expect(cell).toMatchObject({ state: 'not-served', file: 'tomli-2.0.1-py3-none-any.whl' })
    expect(cell?.reason).toContain('answers HTTP 404')
  })

  it('shows build backends as their own rows, whose failures the sdist cells carry', () => {
    const m = matrix([pin('hatchling==1.25.0', ['build backend of legacy==1.0'])])
    expect(m.rows[0]).toMatchObject({ role: 'build-backend', buildBackendOf: ['legacy==1.0'] })
    expect(m.rows[0]!.cells[0]?.state).toBe('not-served')
    expect(m.failures).toBe(0)
  })
})
