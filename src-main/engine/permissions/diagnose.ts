import type { Site } from '#shared/site'
import type { RemoteHost } from '../ssh/remote-host'
import { mirrorLayout } from '../steps/mirror-layout'
import type { DiagnosisFacts, MirrorDiagnosis } from './diagnosis'
import { diagnosisFindings } from './findings'
import { localMirrorUrl, probeHttp, urlOf, type ProbeTarget } from './http-probe'
import { confine } from './confinement'
import { checkNginxSite } from './nginx-site-check'
import { findNginxUser } from './nginx-user'
import { statServedPath } from './path-stat'
import { analyzePathWalk } from './path-walk'
import { checkSelinux } from './selinux'
import { scanServedTree, type TreeScan } from './tree-scan'

/** The URLs that show the mirror working, and the first example of each kind of wrong entry. */
export function probeTargets(baseUrl: string, tree: TreeScan | null): ProbeTarget[] {
  const targets: ProbeTarget[] = [{ url: urlOf(baseUrl, 'simple', true), what: 'the simple index' }]
  if (tree?.samples.project)
    targets.push({
      url: urlOf(baseUrl, `simple/${tree.samples.project}`, true),
      what: 'a project page',
    })
  if (tree?.samples.packageFile)
    targets.push({ url: urlOf(baseUrl, tree.samples.packageFile, false), what: 'a package file' })
  for (const kind of tree?.wrong ?? []) {
    const example = kind.examples[0]
    if (!example) continue
    const isDirectory = kind.branch.type === 'directory'
    targets.push({
      url: urlOf(baseUrl, example.path, isDirectory),
      what: isDirectory ? 'a directory nginx cannot enter' : 'a file nginx cannot read',
    })
  }
  return targets
}

/**
 * Why does the mirror answer 403 (or 404)? Finds nginx's user from the running workers, walks
 * the path to the served directory, scans the tree in one command on the host, reads the
 * enabled site, and asks the mirror's URLs from the host itself. Reads only; needs root (sudo)
 * to look under directories closed to the login user.
 */
export async function diagnoseMirror(host: RemoteHost, site: Site): Promise<MirrorDiagnosis> {
  const layout = mirrorLayout(site.mirror)
  const baseUrl = localMirrorUrl(site.mirror)
  const [nginx, pathInput, nginxSite, selinux] = await Promise.all([
    findNginxUser(host),
    statServedPath(host, layout.web, layout.dir),
    checkNginxSite(host, site.mirror, layout.web),
    checkSelinux(host, layout.web),
  ])
  const user = nginx.user
  const path = user ? analyzePathWalk(pathInput, user) : null
  const webExists =
    pathInput.literal.at(-1)?.kind === 'directory' ||
    pathInput.canonical.at(-1)?.kind === 'directory'
  const confinement = confine({
    mirrorDir: layout.dir,
    realMirrorDir: pathInput.mirror?.realPath ?? null,
    web: layout.web,
    // find and the repair start from the real path: they must not meet a symlink on the way.
    realWeb: webExists ? (pathInput.canonicalRoot ?? layout.web) : null,
    ownerUid: pathInput.mirror?.uid ?? null,
    owner: pathInput.mirror?.owner ?? null,
    homes: pathInput.homes,
  })
  const { realWeb, ownerUid, refusal } = confinement
  const tree =
    user && realWeb && ownerUid !== null && !refusal
      ? await scanServedTree(host, realWeb, user, ownerUid)
      : null
  const http = await probeHttp(host, probeTargets(baseUrl, tree))
  const facts: DiagnosisFacts = {
    host: host.label,
    mirrorDir: layout.dir,
    webRoot: layout.web,
    confinement,
    baseUrl,
    nginx,
    path,
    tree,
    nginxSite,
    selinux,
    http,
  }
  const findings = diagnosisFindings(facts).map((finding) => ({ host: host.label, ...finding }))
  return {
    ...facts,
    findings,
    healthy:
      !findings.some((finding) => finding.severity === 'blocker') &&
      http.every((probe) => probe.status === 200),
  }
}
