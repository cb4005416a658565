import type { DoctorFinding } from './doctor-finding'
import { openLambdaBreaksMarker, openLambdaInstallArg } from './openlambda-line'
import type { ProbedLine, ProbedProject, RequirementsProbe } from './requirements-probe'

export interface RequirementsContext {
  /** Where the file is, for the evidence: `/srv/ol/registry/requirements.txt`. */
  path: string
  /** The worker host's label. */
  host: string
  /** The sandboxes' Python and where that was learnt. */
  python: string
}

type ProbeResult = Extract<RequirementsProbe, { packaging: true }>

function where(context: RequirementsContext, line: ProbedLine): string {
  return `${context.path}:${line.lineNo}: ${line.text.trim()}`
}

/** The pinned line the mirror should hold for this requirement. */
function mirrorLine(line: ProbedLine): string {
  return line.pinned ? `${line.name}==${line.pinned}` : (line.name ?? line.text.trim())
}

function versionsOf(project: ProbedProject): string[] {
  return [...new Set(project.files.map((file) => file.version ?? '?'))]
}

/** Findings 1, 3, 4 and 5 of the doctor, from one look at the file and the mirror. */
export function requirementFindings(
  probe: ProbeResult,
  context: RequirementsContext,
): DoctorFinding[] {
  const findings: DoctorFinding[] = []
  for (const line of probe.lines) {
    const evidence = where(context, line)
    if (line.kind === 'invalid') {
      findings.push({
        severity: 'blocker',
        cause: 'worker-setup',
        title: `Line ${line.lineNo} of requirements.txt is not a requirement pip understands`,
        evidence: `${evidence} (${(line.error ?? '').split('\n')[0]})`,
        fix: 'compile requirements.txt from requirements.in',
        action: { kind: 'compile-requirements' },
      })
      continue
    }
    if (line.kind === 'option') {
      findings.push({
        severity: 'warning',
        cause: 'worker-setup',
        title: `Line ${line.lineNo} of requirements.txt is a pip option, which OpenLambda installs as if it were a package`,
        evidence,
        fix: 'compile requirements.txt from requirements.in (it then holds pinned packages only)',
        action: { kind: 'compile-requirements' },
      })
      continue
    }
    findings.push(...lineFindings(probe, context, line, evidence))
  }
  return findings
}

function lineFindings(
  probe: ProbeResult,
  context: RequirementsContext,
  line: ProbedLine,
  evidence: string,
): DoctorFinding[] {
  const findings: DoctorFinding[] = []
  const name = line.name ?? ''
  if (line.marker && openLambdaBreaksMarker(line.text))
    findings.push({
      severity: 'blocker',
      cause: 'platform-markers',
      project: name,
      title: `${name} has an environment marker, which OpenLambda breaks before pip sees it`,
      evidence: `${evidence} becomes pip install --no-deps "${openLambdaInstallArg(line.text)}" (OpenLambda lowercases the line and turns _ into -)`,
      fix: `compile requirements.txt for this worker's Python ${context.python} on ${probe.platform}: the result has no markers`,
      action: { kind: 'compile-requirements' },
    })
  else if (line.markerApplies === false) return findings // pip skips the line here
  if (!line.pinned)
    findings.push({
      severity: 'warning',
      cause: 'unpinned',
      project: name,
      title: `${name} has no version number: OpenLambda installs whatever the mirror's newest is`,
      evidence,
      fix: 'compile requirements.txt from requirements.in: every line gets name==version',
      action: { kind: 'compile-requirements' },
    })
  const project = probe.projects[name]
  if (!project) return findings
  if (project.status === 404) {
    findings.push({
      severity: 'blocker',
      cause: 'not-in-mirror',
      project: name,
      title: `${name} is not in the mirror`,
      evidence: `GET ${project.url} from ${context.host}: HTTP 404; asked for by ${evidence}`,
      fix: `add ${mirrorLine(line)} to the mirror's requirements and re-sync the mirror`,
      action: { kind: 'add-to-mirror', requirements: [mirrorLine(line)] },
    })
    return findings
  }
  if (project.status !== 200) {
    findings.push({
      severity: 'blocker',
      cause: 'mirror-unreachable',
      project: name,
      title: `The mirror does not serve ${name}'s page`,
      evidence: `GET ${project.url} from ${context.host}: ${project.error ?? `HTTP ${project.status}`}`,
      fix:
        project.status === 403
          ? "nginx's user cannot read the mirror's files: run the permission doctor on the mirror host"
          : "check the mirror's nginx site and error log",
      ...(project.status === 403
        ? { action: { kind: 'permission-doctor' as const, url: project.url } }
        : {}),
    })
    return findings
  }
  if (!line.pinned) return findings
  if ((line.filesForVersion ?? []).length === 0) {
    const has = versionsOf(project)
    findings.push({
      severity: 'blocker',
      cause: 'mirror-outdated',
      project: name,
      title: `${name} ${line.pinned} is not in the mirror (it has ${has.length > 0 ? has.join(', ') : 'no files'})`,
      evidence: `GET ${project.url} from ${context.host} lists no ${name} ${line.pinned}; asked for by ${evidence}`,
      fix: `add ${mirrorLine(line)} to the mirror's requirements and re-sync the mirror`,
      action: { kind: 'add-to-mirror', requirements: [mirrorLine(line)] },
    })
    return findings
  }
  if ((line.compatibleFiles ?? []).length === 0)
    findings.push({
      severity: 'blocker',
      cause: 'platform-markers',
      project: name,
      title: `No file of ${name} ${line.pinned} in the mirror installs on Python ${context.python}, ${probe.platform}`,
      evidence: `GET ${project.url} from ${context.host} lists only ${(line.filesForVersion ?? []).join(', ')}; asked for by ${evidence}`,
      fix: `keep linux wheels for Python ${context.python} in the mirror (mirror.platforms and mirror.pythonVersions) and re-sync it`,
      action: { kind: 'mirror-platforms', platform: 'linux', pythonVersion: context.python },
    })
  return findings
}
