import { describe, expect, it } from 'vitest'
import { requirementFindings } from '../../../src-main/engine/workers/requirement-findings'
import type {
  ProbedLine,
  ProbedProject,
  RequirementsProbe,
} from '../../../src-main/engine/workers/requirements-probe'

type Probe = Extract<RequirementsProbe, { packaging: true }>

const INDEX = 'http://10.0.0.5:8080/pypi/simple'
const context = {
  path: '/srv/ol/registry/requirements.txt',
  host: 'root@worker-1:22',
  python: '3.10',
}

function line(lineNo: number, text: string, extra: Partial<ProbedLine> = {}): ProbedLine {
  const [, name = null, pinned = null] = /^([a-z0-9-]+)(?:==([^\s;]+))?/.exec(text) ?? []
  return {
    lineNo,
    text,
    kind: 'requirement',
    name,
    pinned,
    marker: null,
    markerApplies: null,
    error: null,
    ...extra,
  }
}

function project(name: string, status: number, files: string[] = []): ProbedProject {
  return {
    url: `${INDEX}/${name}/`,
    status,
    error: status === 200 ? null : `HTTP ${status}`,
    files: files.map((filename) => ({
      filename,
      version: filename.split('-')[1] ?? null,
      requiresPython: null,
      compatible: !filename.includes('macosx'),
    })),
  }
}

function probe(lines: ProbedLine[], projects: Record<string, ProbedProject>): Probe {
  return { packaging: true, python: '3.10', platform: 'linux x86_64', lines, projects }
}

describe('requirement findings (doctor 1, 3, 4, 5)', () => {
  it('says nothing about a pinned line whose file the mirror has', () => {
    const found = requirementFindings(
      probe([line(1, 'alpha==1.1', { filesForVersion: ['a.whl'], compatibleFiles: ['a.whl'] })], {
        alpha: project('alpha', 200, ['alpha-1.1-py3-none-any.whl']),
      }),
      context,
    )
    expect(found).toEqual([])
  })

  it('1: a project the mirror does not have, with the URL and the line, and the offer to add it', () => {
    const [finding] = requirementFindings(
      probe([line(3, 'outsider==1.0', { filesForVersion: [], compatibleFiles: [] })], {
        outsider: project('outsider', 404),
      }),
      context,
    )
    expect(finding).toEqual({
      severity: 'blocker',
      cause: 'not-in-mirror',
      project: 'outsider',
      title: 'outsider is not in the mirror',
      evidence: `GET ${INDEX}/outsider/ from root@worker-1:22: HTTP 404; asked for by /srv/ol/registry/requirements.txt:3: outsider==1.0`,
      fix: "add outsider==1.0 to the mirror's requirements and re-sync the mirror",
      action: { kind: 'add-to-mirror', requirements: ['outsider==1.0'] },
    })
  })

  it('3: a line without a version, named, with the offer to compile', () => {
    const found = requirementFindings(
      probe([line(1, 'alpha')], { alpha: project('alpha', 200, ['alpha-1.1-py3-none-any.whl']) }),
      context,
    )
    expect(found).toHaveLength(1)
    expect(found[0]).toMatchObject({
      cause: 'unpinned',
      severity: 'warning',
      evidence: '/srv/ol/registry/requirements.txt:1: alpha',
      action: { kind: 'compile-requirements' },
    })
  })

  it('4: a version the mirror lacks, naming the versions it has', () => {
    const [finding] = requirementFindings(
      probe([line(2, 'beta==1.0', { filesForVersion: [], compatibleFiles: [] })], {
        beta: project('beta', 200, ['beta-2.0-py3-none-any.whl', 'beta-2.1-py3-none-any.whl']),
      }),
      context,
    )
    expect(finding).toMatchObject({
      cause: 'mirror-outdated',
      title: 'beta 1.0 is not in the mirror (it has 2.0, 2.1)',
      action: { kind: 'add-to-mirror', requirements: ['beta==1.0'] },
    })
    expect(finding?.evidence).toContain(
      `GET ${INDEX}/beta/ from root@worker-1:22 lists no beta 1.0`,
    )
  })

  it('5: a marker line, which OpenLambda breaks, showing what pip is given', () => {
    const [finding] = requirementFindings(
      probe(
        [
          line(4, "gamma==1.0 ; python_full_version < '3.13'", {
            marker: 'python_full_version < "3.13"',
            markerApplies: true,
            filesForVersion: ['gamma-1.0-py3-none-manylinux_2_17_x86_64.whl'],
            compatibleFiles: ['gamma-1.0-py3-none-manylinux_2_17_x86_64.whl'],
          }),
        ],
        { gamma: project('gamma', 200, ['gamma-1.0-py3-none-manylinux_2_17_x86_64.whl']) },
      ),
      context,
    )
    expect(finding).toMatchObject({ cause: 'platform-markers', project: 'gamma' })
    expect(finding?.evidence).toContain(
      `pip install --no-deps "gamma==1.0;python-full-version<'3.13'"`,
    )
    expect(finding?.fix).toBe(
      "compile requirements.txt for this worker's Python 3.10 on linux x86_64: the result has no markers",
    )
  })

  it('5: only wheels for other platforms, and the offer to keep this one in the mirror', () => {
    const [finding] = requirementFindings(
      probe(
        [
          line(1, 'gamma==1.0', {
            filesForVersion: ['gamma-1.0-py3-none-macosx_11_0_arm64.whl'],
            compatibleFiles: [],
          }),
        ],
        { gamma: project('gamma', 200, ['gamma-1.0-py3-none-macosx_11_0_arm64.whl']) },
      ),
      context,
    )
    expect(finding).toMatchObject({
      cause: 'platform-markers',
      title: 'No file of gamma 1.0 in the mirror installs on Python 3.10, linux x86_64',
      action: { kind: 'mirror-platforms', platform: 'linux', pythonVersion: '3.10' },
    })
  })

  it('skips a line whose intact marker excludes this worker, as pip does', () => {
    const found = requirementFindings(
      probe(
        [
          line(1, 'cli-extra==1.0 ; extra == "cli"', {
            marker: 'extra == "cli"',
            markerApplies: false,
          }),
        ],
        { 'cli-extra': project('cli-extra', 404) },
      ),
      context,
    )
    expect(found).toEqual([])
  })

  it('2: a project page nginx refuses goes to the permission doctor', () => {
    const [finding] = requirementFindings(
      probe([line(1, 'alpha==1.1')], { alpha: project('alpha', 403) }),
      context,
    )
    expect(finding).toMatchObject({
      cause: 'mirror-unreachable',
      action: { kind: 'permission-doctor', url: `${INDEX}/alpha/` },
    })
  })

  it('names lines that are options or not requirements at all', () => {
    const found = requirementFindings(
      probe(
        [
          { ...line(1, '-r other.txt'), kind: 'option', name: null },
          {
            ...line(2, 'not a requirement'),
            kind: 'invalid',
            name: null,
            error: 'Expected end\n^',
          },
        ],
        {},
      ),
      context,
    )
    expect(found.map((f) => [f.severity, f.cause, f.evidence])).toEqual([
      ['warning', 'worker-setup', '/srv/ol/registry/requirements.txt:1: -r other.txt'],
      [
        'blocker',
        'worker-setup',
        '/srv/ol/registry/requirements.txt:2: not a requirement (Expected end)',
      ],
    ])
  })
})
