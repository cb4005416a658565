import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyAction, planAction } from '../../src-main/engine/actions/site-action'
import { auditMirror, type AuditedRelease, type AuditReport } from '../../src-main/engine/audit'
import { deleteArgv, pruneAction } from '../../src-main/engine/prune/prune-action'
import { runSteps } from '../../src-main/engine/run'
import { parseSite, type Site } from '#shared/site'
import { loadSiteFile } from '../../src-main/engine/site-file'
import type { RemoteHost } from '../../src-main/engine/ssh/remote-host'
import { mirrorLayout } from '../../src-main/engine/steps/mirror-layout'
import { MIRROR_STEPS } from '../../src-main/engine/steps/mirror-steps'
import { updateAction } from '../../src-main/engine/update/update-action'
import { connectAsRoot } from '../testbed/bed-logins'
import { ensureCliBuilt, jsonLines, runPipMirror } from '../testbed/cli'
import { addStandinWheel } from '../testbed/extra-wheel'
import { startMirrorHostBed, type MirrorHostBed } from '../testbed/mirror-host'
import { freePort } from '../testbed/processes'
import { buildStandinWheels, startPypiStandin, type PypiStandin } from '../testbed/pypi-standin'
import { cyclonedxErrors } from '../testbed/sbom-validator'
import { StandinAdvisories } from '../testbed/standin-advisories'

/**
 * The audit, the update and the prune against a real mirror: the bed's sshd (root with a key),
 * the product's own bandersnatch and uv, this machine's nginx, and an upstream stand-in with its
 * own wheels and advisories file, so the test can publish a release, yank one, add an advisory,
 * and corrupt a file on the mirror host, and watch the audit and the update react.
 */
let bed: MirrorHostBed
let upstream: PypiStandin
let advisories: StandinAdvisories
let work: string
let wheels: string
let site: Site
let siteFile: string
let host: RemoteHost

beforeAll(async () => {
  await ensureCliBuilt()
  bed = await startMirrorHostBed()
  work = await mkdtemp(join(tmpdir(), 'pmw-audit-'))
  wheels = join(work, 'wheels')
  await buildStandinWheels(wheels)
  advisories = new StandinAdvisories(join(work, 'advisories.json'))
  upstream = await startPypiStandin({ wheelsDir: wheels, advisoriesFile: advisories.path })
  const created = await bed.newSite({ upstream: upstream.url })
  siteFile = created.path
  site = await loadSiteFile(siteFile)
  host = await connectAsRoot(bed)
  const applied = await runSteps(MIRROR_STEPS, host, site, { mode: 'apply' }, () => undefined)
  expect(applied.status, applied.error).toBe('changed')
})

afterAll(async () => {
  host?.close()
  await upstream?.stop()
  await bed?.stop()
  if (work) await rm(work, { recursive: true, force: true })
})

const web = (): string => mirrorLayout(site.mirror).web
const cli = (...args: string[]) =>
  runPipMirror([
    ...args,
    '--site',
    siteFile,
    '--known-hosts',
    bed.knownHosts,
    '--accept-host-key',
    bed.sshd.hostKeyFingerprint,
  ])
const sha256Of = async (path: string): Promise<string> =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex')
const release = (report: AuditReport, name: string, version?: string): AuditedRelease => {
  const found = report.releases.find((r) => r.name === name && (!version || r.version === version))
  if (!found) throw new Error(`${name} ${version ?? ''} is not in the audit`)
  return found
}

/** What the stand-in's JSON API publishes for one release's files. */
async function published(name: string, version: string) {
  const response = await fetch(`${upstream.url}/pypi/${name}/${version}/json`)
  const data = (await response.json()) as {
    urls: { filename: string; digests: { sha256: string }; upload_time_iso_8601: string }[]
  }
  return new Map(data.urls.map((f) => [f.filename, f]))
}

describe('the audit of what the mirror serves', () => {
  it('gives every pinned file its sha256 as stored on the host, the upstream digest and upload time, the licence, no yank, no advisory', async () => {
    const report = await auditMirror(host, site)
    expect(report.releases.map((r) => `${r.name}==${r.version}`).sort()).toEqual([
      'alpha==1.1',
      'beta==2.0',
      'gamma==1.0',
      'winhelper==1.0',
    ])
    for (const r of report.releases) {
      const upstreamFiles = await published(r.name, r.version)
      expect(r.files.length, r.name).toBeGreaterThan(0)
      for (const file of r.files) {
        // The real file as bandersnatch stored it on the mirror host.
        const onDisk = await sha256Of(join(web(), file.path))
        expect(file.sha256).toBe(onDisk)
        expect(file.upstreamSha256).toBe(upstreamFiles.get(file.filename)?.digests.sha256)
        expect(file.indexSha256).toBe(onDisk)
        expect(file.uploadTime).toBe(upstreamFiles.get(file.filename)?.upload_time_iso_8601)
        expect(file.status).toBe('ok')
      }
      expect(r.yanked).toBe(false)
      expect(r.vulnerabilities).toEqual([])
      expect(r.outdated).toBe(false)
      expect(r.source).toBe('upstream')
    }
    // Only linux wheels are mirrored: gamma has one file here, of the three upstream.
    expect(release(report, 'gamma').files.map((f) => f.filename)).toEqual([
      'gamma-1.0-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
    ])
    // Licences as projects declare them: an SPDX expression, free text, a classifier, none.
    expect(release(report, 'alpha').license).toMatchObject({ expression: 'MIT' })
    expect(release(report, 'beta').license).toMatchObject({
      expression: null,
      text: 'Apache License 2.0',
    })
    expect(release(report, 'gamma').license?.classifiers).toEqual([
      'License :: OSI Approved :: BSD License',
    ])
    expect(release(report, 'winhelper').license).toBeNull()
    expect(report.counts).toMatchObject({ mismatched: 0, yanked: 0, vulnerable: 0, outdated: 0 })
    // One request per project and one per release: 4 + 4.
    expect(report.sources.upstreamRequests).toBe(8)

    const run = await cli('audit', '--json')
    expect(run.code, run.stderr).toBe(0)
    const printed = JSON.parse(run.stdout) as AuditReport
    expect(printed.releases.map((r) => r.files.map((f) => f.sha256))).toEqual(
      report.releases.map((r) => r.files.map((f) => f.sha256)),
    )
    const human = await cli('audit')
    expect(human.code, human.stderr).toBe(0)
    expect(human.stdout).toMatch(/alpha 1\.1\s+1\s+ok\s+2024-01-01\s+MIT\s+-\s+-\s+current/)
  })

  it('flags a yanked release with its reason; --fail-on yanked makes it exit 6', async () => {
    await advisories.yank('beta==2.0', 'broken metadata')
    const report = await auditMirror(host, site)
    expect(release(report, 'beta')).toMatchObject({ yanked: true, yankedReason: 'broken metadata' })
    expect(release(report, 'beta').files[0]?.yanked).toBe(true)
    expect(report.counts.yanked).toBe(1)
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        title: 'beta==2.0 is yanked upstream',
        evidence: 'broken metadata',
      }),
    )
    expect((await cli('audit')).code).toBe(0)
    const failing = await cli('audit', '--fail-on', 'yanked')
    expect(failing.code).toBe(6)
    expect(failing.stdout).toContain('yes: broken metadata')
    await advisories.clear()
  })

  it('shows an advisory of a pin, and offers the newest release the targets can install when it fixes it', async () => {
    await addStandinWheel(wheels, {
      name: 'alpha',
      version: '1.2',
      tag: 'py3-none-any',
      requiresDist: ['beta>=1.0'],
    })
    // A 2.0 only for Windows: newer, but not one the site's targets (3.11 on linux) install.
    await addStandinWheel(wheels, { name: 'alpha', version: '2.0', tag: 'py3-none-win_amd64' })
    await advisories.publishAdvisory('alpha==1.1', {
      id: 'PYSEC-2099-7',
      aliases: ['CVE-2099-0007', 'GHSA-xxxx-yyyy-zzzz'],
      summary: 'alpha 1.1 runs what it is sent',
      fixed_in: ['1.2'],
    })
    await advisories.publishAdvisory('alpha==1.1', {
      id: 'PYSEC-2099-8',
      summary: 'a false alarm',
      fixed_in: [],
      withdrawn: '2099-02-01T00:00:00Z',
    })
    const report = await auditMirror(host, site)
    const alpha = release(report, 'alpha')
    expect(alpha).toMatchObject({ newest: '1.2', latest: '2.0', outdated: true })
    expect(alpha.vulnerabilities).toEqual([
      expect.objectContaining({
        id: 'PYSEC-2099-7',
        aliases: ['CVE-2099-0007', 'GHSA-xxxx-yyyy-zzzz'],
        summary: 'alpha 1.1 runs what it is sent',
        fixedIn: ['1.2'],
        withdrawn: null,
        fixVersion: '1.2',
        newestFixes: true,
        source: 'pypi',
      }),
      expect.objectContaining({ id: 'PYSEC-2099-8', withdrawn: '2099-02-01T00:00:00Z' }),
    ])
    expect(report.counts).toMatchObject({ vulnerable: 1, fixable: 1, outdated: 1 })
    expect((await cli('audit')).code).toBe(0)
    const failing = await cli('audit', '--fail-on', 'vulnerable')
    expect(failing.code).toBe(6)
    expect(failing.stdout).toContain('PYSEC-2099-7 (fixed in 1.2)')
    expect(failing.stdout).toContain('1.2 (fixes)')
  })

  it('writes a CycloneDX 1.5 SBOM that CycloneDX’s own validator accepts, with the real hashes and the advisory', async () => {
    const file = join(work, 'mirror.cdx.json')
    const run = await cli('audit', '--sbom', file)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain(`CycloneDX 1.5 SBOM written to ${file}`)
    expect(await cyclonedxErrors(file)).toEqual([])
    const sbom = JSON.parse(await readFile(file, 'utf8')) as {
      components: { purl: string; hashes?: { content: string }[]; licenses?: unknown[] }[]
      vulnerabilities: { id: string; affects: { ref: string }[] }[]
    }
    const alpha = sbom.components.find((c) => c.purl === 'pkg:pypi/alpha@1.1')
    const report = await auditMirror(host, site)
    expect(alpha?.hashes?.[0]?.content).toBe(release(report, 'alpha').files[0]?.sha256)
    expect(alpha?.licenses).toEqual([{ expression: 'MIT' }])
    expect(sbom.components.map((c) => c.purl).sort()).toEqual([
      'pkg:pypi/alpha@1.1',
      'pkg:pypi/beta@2.0',
      'pkg:pypi/gamma@1.0',
      'pkg:pypi/winhelper@1.0',
    ])
    expect(sbom.vulnerabilities.map((v) => [v.id, v.affects[0]?.ref])).toContainEqual([
      'PYSEC-2099-7',
      'pkg:pypi/alpha@1.1',
    ])
  })

  it('catches a corrupted file on the mirror host: a blocker, exit 5', async () => {
    const gamma = release(await auditMirror(host, site), 'gamma').files[0]
    const path = join(web(), gamma?.path ?? '')
    const original = await readFile(path)
    const corrupt = Buffer.from(original)
    corrupt[corrupt.length - 30] = (corrupt[corrupt.length - 30] ?? 0) ^ 0xff
    await writeFile(path, corrupt)
    try {
      const report = await auditMirror(host, site)
      const file = release(report, 'gamma').files[0]
      expect(file).toMatchObject({ status: 'mismatch', sha256: await sha256Of(path) })
      expect(file?.sha256).not.toBe(file?.upstreamSha256)
      expect(report.counts.mismatched).toBe(1)
      expect(report.findings.filter((f) => f.severity === 'blocker')).toHaveLength(1)
      const run = await cli('audit')
      expect(run.code).toBe(5)
      expect(run.stdout).toContain('1 MISMATCH')
      // A symbolic link in its place is not read through: the file counts as missing.
      await rm(path)
      await symlink('/etc/hostname', path)
      const linked = release(await auditMirror(host, site), 'gamma').files[0]
      expect(linked).toMatchObject({ status: 'missing', sha256: null })
      expect(linked?.detail).toContain('a symbolic link')
    } finally {
      await rm(path, { force: true })
      await writeFile(path, original)
    }
    expect((await auditMirror(host, site)).counts.mismatched).toBe(0)
  })

  it('without the upstream: an OSV export for the advisories, the mirror’s saved JSON for the digests', async () => {
    const osv = join(work, 'osv')
    await mkdir(osv, { recursive: true })
    await writeFile(
      join(osv, 'GHSA-gamma.json'),
      JSON.stringify({
        id: 'GHSA-gamm-aaaa-bbbb',
        aliases: ['CVE-2099-0100'],
        summary: 'gamma parses too much',
        affected: [
          {
            package: { ecosystem: 'PyPI', name: 'Gamma' },
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0.5' }, { fixed: '1.1' }] }],
          },
        ],
      }),
    )
    const report = await auditMirror(host, site, { offline: true, osvExport: osv })
    expect(report.sources).toMatchObject({
      upstream: null,
      upstreamRequests: 0,
      vulnerabilities: 'osv-export',
    })
    const gamma = release(report, 'gamma')
    expect(gamma.source).toBe('mirror-json')
    expect(gamma.files[0]).toMatchObject({ status: 'ok' })
    expect(gamma.vulnerabilities).toEqual([
      expect.objectContaining({
        id: 'GHSA-gamm-aaaa-bbbb',
        fixedIn: ['1.1'],
        fixVersion: '1.1',
        newestFixes: false,
        source: 'osv-export',
      }),
    ])
    // The export speaks for alpha too: nothing there, so the JSON API's advisory is not used.
    expect(release(report, 'alpha').vulnerabilities).toEqual([])

    // An upstream that does not answer is asked no more after the first failures.
    const away = parseSite({
      ...site,
      mirror: { ...site.mirror, upstream: `http://127.0.0.1:${await freePort()}` },
    })
    const fallback = await auditMirror(host, away)
    expect(fallback.sources.upstreamUnreachable).toMatch(/refused/i)
    expect(fallback.sources.upstreamRequests).toBeLessThanOrEqual(8)
    expect(release(fallback, 'alpha').source).toBe('mirror-json')
    expect(release(fallback, 'alpha').files[0]?.status).toBe('ok')
  })
})

describe('updates the operator decides, and the prune', () => {
  it('update --security-only shows the pin diff with the advisory it fixes, syncs and verifies; the old release stays served', async () => {
    const planned = await planAction(host, updateAction(site, { choice: { kind: 'security' } }))
    expect(planned.error).toBeNull()
    const update = planned.steps.find((s) => s.update)?.update
    expect(update?.flags).toEqual(['--upgrade-package', 'alpha>=1.2'])
    expect(update?.changes).toEqual([
      expect.objectContaining({
        name: 'alpha',
        kind: 'changed',
        from: ['1.1'],
        to: ['1.2'],
        fixes: [expect.objectContaining({ id: 'PYSEC-2099-7' })],
        open: [],
      }),
    ])
    expect(update?.retained).toEqual(['alpha==1.1'])
    const pinsStep = planned.steps.find((s) => s.id === 'update-pins')
    expect(pinsStep?.notes).toContain('alpha 1.1 → 1.2 (fixes PYSEC-2099-7)')
    const diff = pinsStep?.changes.find(
      (c) => c.kind === 'file' && c.path.endsWith('requirements.txt'),
    )
    expect(diff?.kind === 'file' && diff.diff).toMatch(/-alpha==1\.1[\s\S]*\+alpha==1\.2/)
    // Planning changed nothing on the host.
    const layout = mirrorLayout(site.mirror)
    expect(await readFile(layout.requirementsTxt, 'utf8')).toMatch(/^alpha==1\.1$/m)
    expect(existsSync(layout.retainedTxt)).toBe(false)

    // A plan other than the one shown is refused, and nothing changes.
    const refused = await applyAction(
      host,
      updateAction(site, { choice: { kind: 'security' }, expectDigest: '0'.repeat(64) }),
    )
    expect(refused.summary.status).toBe('failed')
    expect(refused.summary.error).toContain('resolves differently now')
    expect(await readFile(layout.requirementsTxt, 'utf8')).toMatch(/^alpha==1\.1$/m)

    const run = await cli('update', '--security-only', '--yes', '--json')
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0)
    const events = jsonLines(run.stdout)
    const shown = events.find((e) => e.type === 'action-plan') as {
      steps: { update?: { digest: string } }[]
    }
    expect(shown.steps.find((s) => s.update)?.update?.digest).toBe(update?.digest)
    expect(events.at(-1)).toMatchObject({ type: 'summary', status: 'changed' })

    expect(await readFile(layout.requirementsTxt, 'utf8')).toMatch(/^alpha==1\.2$/m)
    expect(await readFile(layout.retainedTxt, 'utf8')).toMatch(/^alpha==1\.1$/m)
    // Both releases are listed and served: a worker pinned to 1.1 keeps working.
    const page = await (await fetch(`http://${site.mirror.serve.listen}/pypi/simple/alpha/`)).text()
    expect(page).toContain('alpha-1.1-py3-none-any.whl')
    expect(page).toContain('alpha-1.2-py3-none-any.whl')
    const report = await auditMirror(host, site)
    expect(release(report, 'alpha', '1.2')).toMatchObject({ retained: false, outdated: false })
    expect(release(report, 'alpha', '1.2').vulnerabilities).toEqual([])
    expect(release(report, 'alpha', '1.1')).toMatchObject({ retained: true })
    expect(report.counts.vulnerable).toBe(1)

    // Named projects: beta has nothing newer, so nothing changes.
    const nothing = await cli('update', '--project', 'beta', '--yes')
    expect(nothing.code, nothing.stderr).toBe(0)
    expect(nothing.stdout).toContain('Nothing to change.')
  })

  it('prune lists exactly what it deletes, deletes only that, and the mirror still serves every pin', async () => {
    const layout = mirrorLayout(site.mirror)
    const old = join(
      web(),
      release(await auditMirror(host, site), 'alpha', '1.1').files[0]?.path ?? '',
    )
    const plan = await planAction(host, pruneAction(site))
    expect(plan.error).toBeNull()
    expect(plan.deletes).toEqual([old])
    const prune = plan.steps.find((s) => s.prune)?.prune
    expect(prune).toMatchObject({ pins: ['alpha==1.1'], pages: [], refused: [] })
    expect(plan.steps.find((s) => s.id === 'prune-delete')?.notes).toEqual([`deletes ${old}`])
    expect(existsSync(old)).toBe(true)

    const outcome = await applyAction(host, pruneAction(site, prune?.digest ?? null))
    expect(outcome.summary.status, outcome.summary.error).toBe('changed')
    expect(existsSync(old)).toBe(false)
    expect(await readFile(layout.retainedTxt, 'utf8')).not.toMatch(/^alpha==/m)
    const page = await (await fetch(`http://${site.mirror.serve.listen}/pypi/simple/alpha/`)).text()
    expect(page).not.toContain('alpha-1.1-py3-none-any.whl')
    expect(page).toContain('alpha-1.2-py3-none-any.whl')
    const report = await auditMirror(host, site)
    expect(report.releases.map((r) => `${r.name}==${r.version}`).sort()).toEqual([
      'alpha==1.2',
      'beta==2.0',
      'gamma==1.0',
      'winhelper==1.0',
    ])
    const again = await cli('prune', '--yes')
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toContain('Nothing to change.')
  })

  it('the delete never follows a symbolic link, and never leaves web/packages and the index pages', async () => {
    const outside = join(work, 'precious')
    await writeFile(outside, 'keep me')
    const link = join(web(), 'packages', 'zz', 'link.whl')
    await mkdir(join(web(), 'packages', 'zz'), { recursive: true })
    await symlink(outside, link)
    const linkedDir = join(web(), 'packages', 'yy')
    await symlink(work, linkedDir)
    const layout = mirrorLayout(site.mirror)
    const result = await host.exec(
      deleteArgv(web(), [
        link,
        join(linkedDir, 'precious'),
        `${web()}/packages/../../bandersnatch.conf`,
        layout.conf,
        '/etc/hostname',
        `${web()}/simple/index.html`,
      ]),
    )
    expect(result.code).toBe(1)
    const lines = result.stdout.trim().split('\n')
    expect(lines).toEqual([
      `refused ${link}: a symbolic link`,
      `refused ${join(linkedDir, 'precious')}: reached through a symbolic link`,
      `refused ${web()}/packages/../../bandersnatch.conf: a relative or empty path component`,
      `refused ${layout.conf}: not something a prune deletes`,
      'refused /etc/hostname: not something a prune deletes',
      `refused ${web()}/simple/index.html: not something a prune deletes`,
    ])
    expect(await readFile(outside, 'utf8')).toBe('keep me')
    expect(existsSync(layout.conf)).toBe(true)
    expect(existsSync(`${web()}/simple/index.html`)).toBe(true)
    await rm(link)
    await rm(linkedDir)
  })
})
