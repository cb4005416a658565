import { forbiddenHere, LAYOUT_NAMES } from './confinement'
import type { DiagnosisFacts, PermissionFinding } from './diagnosis'
import { urlOf, type HttpProbe } from './http-probe'
import { modeString, octal } from './mode-bits'
import { describeComponent, type ComponentVerdict } from './path-walk'
import { selinuxFindings } from './selinux'
import type { EntrySample, TreeEntry, TreeScan, WrongKind } from './tree-scan'

const IRREGULAR: Record<string, string> = { directory: 'directories', entry: 'entries' }

export function plural(count: number, word: string): string {
  return `${count} ${count === 1 ? word : (IRREGULAR[word] ?? `${word}s`)}`
}

function answered(http: readonly HttpProbe[], url: string): string | null {
  const probe = http.find((p) => p.url === url)
  if (!probe) return null
  return `GET ${probe.url} → ${probe.status === 0 ? 'no answer' : probe.status}`
}

function joinEvidence(...parts: (string | null | undefined)[]): string {
  return parts.filter(Boolean).join('; ')
}

function nginxFindings(facts: DiagnosisFacts): PermissionFinding[] {
  const findings: PermissionFinding[] = []
  if (!facts.nginx.user)
    findings.push({
      cause: 'nginx-user-unknown',
      severity: 'blocker',
      title: `nginx's user ${facts.nginx.userName} does not exist on this host`,
      evidence: 'no nginx worker is running and no account of that name exists',
      fix: 'install nginx (the nginx step of pip-mirror apply), then run the doctor again',
    })
  if (!facts.nginx.running)
    findings.push({
      cause: 'nginx-not-running',
      severity: 'blocker',
      title: 'nginx is not running',
      evidence: `no live nginx master in ${facts.nginx.pidFile || '/run/nginx.pid'}`,
      fix: 'start nginx (pip-mirror repair starts it)',
    })
  return findings
}

function siteFindings(facts: DiagnosisFacts, simpleIndex: string): PermissionFinding[] {
  const site = facts.nginxSite
  const http = answered(facts.http, simpleIndex)
  if (!site.exists)
    return [
      {
        cause: 'site-missing',
        severity: 'blocker',
        title: `The mirror's nginx site ${site.availablePath} does not exist`,
        evidence: http ?? undefined,
        fix: 'write it with the nginx step (pip-mirror apply)',
      },
    ]
  const findings: PermissionFinding[] = []
  if (site.enabled === 'missing' || site.enabled === 'dangling')
    findings.push({
      cause: 'site-not-enabled',
      severity: 'blocker',
      title: `The mirror's nginx site is not enabled`,
      evidence: joinEvidence(
        site.enabled === 'dangling'
          ? `${site.enabledPath} points to ${site.enabledTarget}, which does not exist`
          : `${site.enabledPath} does not exist`,
        http,
      ),
      fix: `ln -sfn ${site.availablePath} ${site.enabledPath} and reload nginx (pip-mirror repair)`,
    })
  if (site.enabled === 'copy' || site.enabled === 'other-target')
    findings.push({
      cause: 'site-other-file',
      severity: 'warning',
      title: `nginx reads ${site.effectivePath}, not ${site.availablePath}`,
      evidence: `${site.enabledPath} is ${site.enabled === 'copy' ? 'a copy' : `a link to ${site.enabledTarget}`}`,
      fix: `replace it with a link: ln -sfn ${site.availablePath} ${site.enabledPath}`,
    })
  const text = site.analysis
  if (text && !text.location)
    findings.push({
      cause: 'no-location',
      severity: 'blocker',
      title: `${site.effectivePath} has no location block for the mirror's path`,
      fix: 'write the site again with the nginx step (pip-mirror apply)',
    })
  if (text?.location && !text.alias)
    findings.push({
      cause: 'no-alias',
      severity: 'blocker',
      title: `location ${text.location} in ${site.effectivePath} has no alias`,
      fix: `alias ${facts.webRoot}/; (the nginx step writes it)`,
    })
  if (text?.slashMismatch && text.alias && text.location)
    findings.push({
      cause: 'alias-slash',
      severity: 'blocker',
      title: `The alias in ${site.effectivePath} and its location disagree about the trailing slash`,
      evidence: joinEvidence(
        `line ${text.aliasLine}: location ${text.location} { alias ${text.alias}; }`,
        text.location.endsWith('/')
          ? `${text.location}simple/ maps to ${text.alias}simple/`
          : `${text.location}../ maps outside ${text.alias}`,
        http,
      ),
      fix: `both end in "/": location ${text.location.replace(/\/?$/, '/')} { alias ${text.alias.replace(/\/?$/, '/')}; } (pip-mirror repair edits the file, keeps a backup and runs nginx -t)`,
    })
  if (text?.aliasElsewhere && text.alias)
    findings.push({
      cause: 'alias-elsewhere',
      severity: 'warning',
      title: `The site serves ${text.alias}, not this mirror's ${facts.webRoot}/`,
      evidence: `${site.effectivePath} line ${text.aliasLine}`,
      fix: 'check mirror.directory, or write the site again with the nginx step',
    })
  if (site.listening === false && facts.nginx.running && site.enabled !== 'missing')
    findings.push({
      cause: 'not-listening',
      severity: 'blocker',
      title: `Nothing listens on the mirror's address`,
      evidence: joinEvidence(
        `ss -ltn shows no listener for ${site.analysis?.listens.join(', ')}`,
        http,
      ),
      fix: 'reload nginx so that it reads the enabled site (pip-mirror repair); if it then fails, nginx -t says why',
    })
  return findings
}

function pathFinding(
  verdict: ComponentVerdict,
  index: number,
  facts: DiagnosisFacts,
): PermissionFinding {
  const name = facts.nginx.user?.name ?? facts.nginx.userName
  const http = answered(facts.http, urlOf(facts.baseUrl, 'simple', true))
  const { component } = verdict
  if (!verdict.grant) {
    const insideMirror = component.path.startsWith(`${facts.mirrorDir}/`)
    return {
      cause: 'path-missing',
      severity: 'blocker',
      title: `${component.path} ${verdict.reason ?? 'blocks'}`,
      evidence: http ?? undefined,
      fix:
        component.kind === 'missing' && (insideMirror || component.path === facts.mirrorDir)
          ? 'the mirror has not been synced yet: run the sync (pip-mirror apply)'
          : 'check mirror.directory in the site description',
    }
  }
  const action = verdict.missing & 1 ? 'pass through' : 'list'
  const lead = index === 0 ? 'first blocks the way' : 'also blocks'
  const forbidden = forbiddenHere(facts.confinement, component.path)
  return {
    cause: 'path-blocked',
    subject: component.path,
    severity: 'blocker',
    title: `${name} cannot ${action} ${describeComponent(component)}: it ${lead} to the mirror`,
    evidence: joinEvidence(verdict.reason, http),
    fix: forbidden
      ? `pip-mirror repair does not change it (${forbidden}): move the mirror to a directory of its own`
      : `chmod ${verdict.grant} ${component.path} (${octal(component.mode)} → ${octal(verdict.modeAfter ?? component.mode)}), nothing else (pip-mirror repair)`,
  }
}

function entryText(entry: TreeEntry, isDirectory: boolean): string {
  return `${entry.path} (${entry.owner}:${entry.group} ${octal(entry.mode)} ${modeString(entry.mode, isDirectory ? 'd' : '-')})`
}

function treeFinding(
  kinds: readonly WrongKind[],
  type: 'file' | 'directory',
  facts: DiagnosisFacts,
): PermissionFinding | null {
  const ofType = kinds.filter((kind) => kind.branch.type === type)
  const count = ofType.reduce((total, kind) => total + kind.count, 0)
  if (count === 0) return null
  const name = facts.nginx.user?.name ?? facts.nginx.userName
  const isDirectory = type === 'directory'
  const examples = ofType.flatMap((kind) => kind.examples).slice(0, 5)
  const first = examples[0]
  const http = first ? answered(facts.http, urlOf(facts.baseUrl, first.path, isDirectory)) : null
  const grants = ofType
    .map(
      (kind) => `${kind.branch.grant} on ${plural(kind.count, isDirectory ? 'directory' : 'file')}`,
    )
    .join(', ')
  return {
    cause: isDirectory ? 'directories-closed' : 'files-unreadable',
    severity: 'blocker',
    title: isDirectory
      ? `${plural(count, 'directory')} in the mirror cannot be listed and entered by ${name}`
      : `${plural(count, 'file')} in the mirror cannot be read by ${name}`,
    evidence: joinEvidence(
      `e.g. ${examples.map((entry) => entryText(entry, isDirectory)).join(', ')}`,
      http,
    ),
    fix: `${grants}, only where missing; owners stay as they are (pip-mirror repair)`,
  }
}

function linkFindings(tree: TreeScan, root: string): PermissionFinding[] {
  if (tree.outsideLinks.count === 0) return []
  return [
    {
      cause: 'symlink-outside',
      severity: 'warning',
      title: `${plural(tree.outsideLinks.count, 'symlink')} in the mirror lead outside ${root}: the repair never follows them`,
      evidence: tree.outsideLinks.examples
        .map((link) => `${link.path} → ${link.target}`)
        .join(', '),
      fix: 'nginx follows them and serves what they point to: remove them, or copy what they point to into the mirror',
    },
  ]
}

/** Where the repair acts, or why it refuses to act at all. */
function confinementFindings(facts: DiagnosisFacts): PermissionFinding[] {
  const c = facts.confinement
  if (c.refusal) {
    const links = [
      c.realMirrorDir && c.realMirrorDir !== c.mirrorDir
        ? `${c.mirrorDir} → ${c.realMirrorDir}`
        : null,
      c.realWeb && c.realWeb !== c.web ? `${c.web} → ${c.realWeb}` : null,
    ]
    return [
      {
        cause: 'refused-location',
        severity: 'blocker',
        title: `The repair refuses to act: ${c.refusal}`,
        evidence: joinEvidence(
          ...links,
          'nothing there was scanned as part of the mirror, and nothing will be changed',
        ),
        fix: `make ${c.web} a directory of the mirror's own (or a link to a data disk that ${c.owner ?? "the mirror's owner"} owns), then run the doctor again`,
      },
    ]
  }
  if (c.realWeb && c.realWeb !== c.web)
    return [
      {
        cause: 'served-elsewhere',
        severity: 'info',
        title: `${c.web} resolves to ${c.realWeb}: the doctor and the repair look there, and only there`,
      },
    ]
  return []
}

function entryList(sample: EntrySample): string {
  return sample.examples
    .map((entry) => `${entry.path} (${entry.owner}:${entry.group} ${octal(entry.mode)})`)
    .join(', ')
}

/** What the repair leaves alone in the served tree, each kind with why. */
function leftAloneFindings(tree: TreeScan, facts: DiagnosisFacts): PermissionFinding[] {
  const { foreign, sharedLinks, otherFilesystems, special } = tree.leftAlone
  const root = tree.root
  const owner = facts.confinement.owner ?? "the mirror's owner"
  const findings: PermissionFinding[] = []
  if (foreign.count > 0)
    findings.push({
      cause: 'foreign-entries',
      severity: 'warning',
      title: `${plural(foreign.count, 'entry')} in ${root} are not bandersnatch's: the repair leaves them alone`,
      evidence: `e.g. ${entryList(foreign)}; bandersnatch writes only ${LAYOUT_NAMES.join(', ')} there`,
      fix: 'nginx serves them as they are: move them out of the served directory',
    })
  if (sharedLinks.count > 0)
    findings.push({
      cause: 'shared-links',
      severity: 'warning',
      title: `${plural(sharedLinks.count, 'file')} in the mirror ${sharedLinks.count === 1 ? 'is a hard link' : 'are hard links'} owned by someone other than ${owner}: the repair leaves them alone`,
      evidence: `e.g. ${entryList(sharedLinks)}; another name of the same file may be outside the mirror (such as /etc/shadow)`,
      fix: 'remove them; bandersnatch downloads its files again on the next sync',
    })
  if (otherFilesystems.count > 0)
    findings.push({
      cause: 'other-filesystems',
      severity: 'warning',
      title: `${plural(otherFilesystems.count, 'entry')} in the mirror ${otherFilesystems.count === 1 ? 'is' : 'are'} on another filesystem: the repair does not enter them`,
      evidence: `e.g. ${entryList(otherFilesystems)}`,
      fix: 'serve the mirror from one filesystem, or open those entries by hand',
    })
  if (special.count > 0)
    findings.push({
      cause: 'special-entries',
      severity: 'warning',
      title: `${plural(special.count, 'entry')} in the mirror ${special.count === 1 ? 'is' : 'are'} neither a file nor a directory: left alone`,
      evidence: `e.g. ${entryList(special)}`,
      fix: 'remove them: bandersnatch writes only files and directories',
    })
  return findings
}

/** The findings for a person, most fundamental first, each with its evidence and its fix. */
export function diagnosisFindings(facts: DiagnosisFacts): PermissionFinding[] {
  const simpleIndex = urlOf(facts.baseUrl, 'simple', true)
  const findings: PermissionFinding[] = [
    ...confinementFindings(facts),
    ...nginxFindings(facts),
    ...siteFindings(facts, simpleIndex),
  ]
  facts.path?.blockers.forEach((verdict, index) =>
    findings.push(pathFinding(verdict, index, facts)),
  )
  if (facts.tree) {
    for (const type of ['file', 'directory'] as const) {
      const finding = treeFinding(facts.tree.wrong, type, facts)
      if (finding) findings.push(finding)
    }
    if (facts.tree.findStatus !== 0)
      findings.push({
        cause: 'scan-incomplete',
        severity: 'warning',
        title: `find could not read all of ${facts.webRoot}`,
        evidence: `find exited with ${facts.tree.findStatus}`,
        fix: 'the counts may be short; look at the tree with ls -l as root',
      })
    findings.push(...linkFindings(facts.tree, facts.tree.root))
    findings.push(...leftAloneFindings(facts.tree, facts))
  }
  // Refused: the served directory is a system location, whose labels are not the mirror's.
  const selinux = facts.confinement.refusal ? [] : selinuxFindings(facts.selinux, facts.webRoot)
  findings.push(
    ...selinux.map((f) => ({
      cause: 'selinux' as const,
      ...f,
    })),
  )
  const failing = facts.http.filter((probe) => probe.status !== 200)
  const explained = findings.some((finding) => finding.severity === 'blocker')
  if (failing.length > 0 && !explained)
    findings.push({
      cause: 'unexplained-http',
      severity: 'warning',
      title: `The mirror does not answer 200, and no cause was found in permissions or the site`,
      evidence: failing
        .map((probe) => `GET ${probe.url} → ${probe.status || 'no answer'}`)
        .join('; '),
      fix: 'read nginx error log (/var/log/nginx/error.log); ACLs and other nginx sites on the same port are not checked',
    })
  if (failing.length === 0 && !explained && facts.http.length > 0)
    findings.push({
      cause: 'healthy',
      severity: 'info',
      title: `The mirror answers 200 and ${facts.nginx.user?.name ?? 'nginx'} can read all of it`,
      evidence: facts.http.map((probe) => `GET ${probe.url} → ${probe.status}`).join('; '),
    })
  return findings
}
