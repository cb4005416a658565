import { normalizeProjectName } from '#shared/site'
import { UV, VENV_PYTHON } from '../steps/mirror-layout'
import { UV_VERSION } from '../steps/bandersnatch-release'
import type { DoctorFinding } from './doctor-finding'
import { simpleIndexUrl } from './mirror-reach'

/**
 * `uv pip compile`, the mirror's own resolver, run on the worker host against the mirror's index
 * and for the sandboxes' Python on this host's platform. Resolving against the mirror is also the
 * proof that the whole pinned closure is in it. No `--universal`: OpenLambda mangles environment
 * markers (see openlambda-line.ts), so the file must hold exactly what this worker installs.
 */
export function compileArgv(pipMirror: string, python: string): string[] {
  return [
    UV,
    'pip',
    'compile',
    '-',
    '--python-version',
    python,
    '--python',
    VENV_PYTHON,
    '--no-python-downloads',
    '--index-url',
    simpleIndexUrl(pipMirror).replace(/\/$/, ''),
    '--no-config',
    '--no-header',
    // Revalidate cached index pages: the mirror may have changed since the last compile.
    '--refresh',
  ]
}

export function requirementsInText(lines: readonly string[]): string {
  return [
    "# The lambdas' requirements on this worker, written by Pip Mirror Wizard from the site",
    '# description. requirements.txt is compiled from this file.',
    ...lines,
    '',
  ].join('\n')
}

export function requirementsTxtText(compiled: string, pipMirror: string, python: string): string {
  const body = compiled.endsWith('\n') ? compiled : `${compiled}\n`
  return [
    `# Pinned by Pip Mirror Wizard with uv ${UV_VERSION} for Python ${python} on this worker,`,
    `# resolved against ${simpleIndexUrl(pipMirror)} from requirements.in. Edit that file, not`,
    '# this one.',
    body,
  ].join('\n')
}

/**
 * What uv's resolution error says the mirror lacks, as doctor findings: whole projects (1) and
 * versions (4).
 */
export function compileErrorFindings(stderr: string, requirementsIn: string): DoctorFinding[] {
  const findings: DoctorFinding[] = []
  const evidence = stderr.trim().split('\n').slice(-4).join(' ').replace(/\s+/g, ' ')
  for (const match of stderr.matchAll(/Because (\S+) was not found in the package registry/g)) {
    const name = match[1] as string
    findings.push({
      severity: 'blocker',
      cause: 'not-in-mirror',
      project: normalizeProjectName(name),
      title: `${name} is not in the mirror`,
      evidence: `uv pip compile ${requirementsIn}: ${evidence}`,
      fix: `add ${name} to the mirror's requirements and re-sync the mirror`,
      action: { kind: 'add-to-mirror', requirements: [name] },
    })
  }
  for (const match of stderr.matchAll(/there is no version of (\S+?)==(\S+?)(?=[\s,]|$)/g)) {
    const line = `${match[1]}==${match[2]}`
    findings.push({
      severity: 'blocker',
      cause: 'mirror-outdated',
      project: normalizeProjectName(match[1] as string),
      title: `${match[1]} ${match[2]} is not in the mirror`,
      evidence: `uv pip compile ${requirementsIn}: ${evidence}`,
      fix: `add ${line} to the mirror's requirements and re-sync the mirror`,
      action: { kind: 'add-to-mirror', requirements: [line] },
    })
  }
  return findings
}
