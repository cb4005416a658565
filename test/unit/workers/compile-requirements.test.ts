import { describe, expect, it } from 'vitest'
import {
  compileArgv,
  compileErrorFindings,
  requirementsTxtText,
} from '../../../src-main/engine/workers/compile-requirements'
import { UV_VERSION } from '../../../src-main/engine/steps/bandersnatch-release'

describe("compiling a worker's requirements", () => {
  it("resolves with the mirror's uv against the mirror, for the sandboxes' Python, without markers", () => {
    const argv = compileArgv('http://10.0.0.5:8080/pypi', '3.10')
    expect(argv.slice(0, 4)).toEqual(['/opt/pip-mirror-wizard/venv/bin/uv', 'pip', 'compile', '-'])
    expect(argv.join(' ')).toContain('--python-version 3.10')
    expect(argv.join(' ')).toContain('--index-url http://10.0.0.5:8080/pypi/simple ')
    expect(argv).not.toContain('--universal')
    expect(argv).toContain('--no-python-downloads')
  })

  it('heads requirements.txt with where it came from', () => {
    const text = requirementsTxtText('alpha==1.1\n', 'http://10.0.0.5:8080/pypi', '3.10')
    expect(text).toBe(
      [
        `# Pinned by Pip Mirror Wizard with uv ${UV_VERSION} for Python 3.10 on this worker,`,
        '# resolved against http://10.0.0.5:8080/pypi/simple/ from requirements.in. Edit that file, not',
        '# this one.',
        'alpha==1.1',
        '',
      ].join('\n'),
    )
  })

  it("turns uv's resolution errors into findings 1 and 4", () => {
    const stderr = [
      'error: No solution found when resolving dependencies:',
      '  ╰─▶ Because outsider was not found in the package registry and you require outsider, we can conclude that your requirements are unsatisfiable.',
    ].join('\n')
    const [missing] = compileErrorFindings(stderr, '/srv/ol/registry/requirements.in')
    expect(missing).toMatchObject({
      cause: 'not-in-mirror',
      project: 'outsider',
      action: { kind: 'add-to-mirror', requirements: ['outsider'] },
    })
    const [outdated] = compileErrorFindings(
      '  cause: Because there is no version of beta==1.0 and you require beta==1.0, we can conclude that your requirements are unsatisfiable.',
      'requirements.in',
    )
    expect(outdated).toMatchObject({
      cause: 'mirror-outdated',
      title: 'beta 1.0 is not in the mirror',
      action: { kind: 'add-to-mirror', requirements: ['beta==1.0'] },
    })
  })
})
