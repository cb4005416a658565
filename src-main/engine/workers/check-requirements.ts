import { normalizeProjectName } from '#shared/site'
import type { RemoteHost } from '../ssh/remote-host'
import type { DoctorFinding } from './doctor-finding'
import { describeDryInstall, dryInstall, dryInstallCommand, type DryInstall } from './dry-install'
import { simpleIndexUrl } from './mirror-reach'
import { openLambdaInstallArgs } from './openlambda-line'
import { requirementFindings } from './requirement-findings'
import { probeRequirements } from './requirements-probe'
import type { WorkerPython } from './worker-python'

export interface RequirementsCheck {
  findings: DoctorFinding[]
  /** What happened, line by line, for the log. */
  notes: string[]
  dryInstall: DryInstall | null
}

function projectOf(arg: string): string {
  return normalizeProjectName(arg.split(/[=<>!~;[\s@]/)[0] ?? arg)
}

/**
 * Everything the doctor knows about a worker's requirements.txt against its mirror, found from
 * the worker host: findings 1, 3, 4 and 5, then a dry install of every line exactly as OpenLambda
 * runs it, whose failures the findings explain (or, when none does, become findings of their own).
 */
export async function checkRequirements(
  host: RemoteHost,
  input: { pipMirror: string; python: WorkerPython; path: string; text: string },
): Promise<RequirementsCheck> {
  const { pipMirror, python, path, text } = input
  const notes: string[] = []
  const probe = await probeRequirements(host, {
    index: simpleIndexUrl(pipMirror).replace(/\/$/, ''),
    python: python.version,
    text,
  })
  const findings: DoctorFinding[] = []
  if (!probe.packaging)
    notes.push(
      'the requirements could not be compared with the mirror: the worker host has no Python packaging library (applying the workers installs the tools venv that has it)',
    )
  else
    findings.push(...requirementFindings(probe, { path, host: host.label, python: python.version }))

  const args = openLambdaInstallArgs(text)
  if (args.length === 0)
    return { findings, notes: [...notes, `${path} lists nothing`], dryInstall: null }
  const request = { pipMirror, args, pythonVersion: python.version }
  notes.push(`dry install as OpenLambda runs it: ${dryInstallCommand(request)}`)
  const result = await dryInstall(host, request)
  if (!result.pip) {
    notes.push(`no dry install: ${result.python} has no pip (applying the workers installs it)`)
    return { findings, notes, dryInstall: result }
  }
  const explained = new Set(findings.map((finding) => finding.project))
  for (const line of result.results) {
    notes.push(describeDryInstall(line))
    if (line.code === 0 || explained.has(projectOf(line.arg))) continue
    findings.push({
      severity: 'blocker',
      cause: 'install-fails',
      title: `pip cannot install ${line.arg} from the mirror as OpenLambda runs it`,
      evidence: line.tail.slice(-6).join('\n'),
      fix: "read pip's message above; the mirror or the requirement has to change",
    })
  }
  return { findings, notes, dryInstall: result }
}
