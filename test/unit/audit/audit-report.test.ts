import { describe, expect, it } from 'vitest'
import { buildAuditReport, hasBlocker } from '../../../src-main/engine/audit/audit-report'
import { auditExitCode, renderAudit } from '../../../src-main/cli/commands/audit'
import { hostAuditFixture } from './host-audit-fixture'

const context = {
  checkedAt: '2099-01-01T00:00:00.000Z',
  host: 'root@10.0.0.5:22',
  mirrorUrl: 'http://10.0.0.5:8080/pypi',
  retained: new Set(['gamma==1.0']),
  osvExport: null,
}

describe('the audit report', () => {
  const report = buildAuditReport(hostAuditFixture(), context)

  it('counts what the host found: mismatched (corrupt or missing), yanked, vulnerable, outdated, fixable', () => {
    expect(report.counts).toEqual({
      releases: 5,
      files: 5,
      mismatched: 2,
      yanked: 1,
      vulnerable: 1,
      outdated: 1,
      fixable: 1,
    })
    expect(hasBlocker(report)).toBe(true)
    expect(report.hashed.files).toBe(4)
    expect(report.releases.find((r) => r.name === 'gamma')?.retained).toBe(true)
  })

  it('tells a file whose sha256 differs from what pip is told apart from one that is not there', () => {
    const delta = report.releases.find((r) => r.name === 'delta')?.files[0]
    expect(delta).toMatchObject({ status: 'mismatch', sha256: 'f'.repeat(64) })
    expect(delta?.detail).toContain('which the index page gives pip')
    const epsilon = report.releases.find((r) => r.name === 'epsilon')?.files[0]
    expect(epsilon).toMatchObject({ status: 'missing', sha256: null })
    expect(report.releases.find((r) => r.name === 'alpha')?.files[0]?.status).toBe('ok')
  })

  it('a digest the upstream published otherwise is a mismatch even when the index agrees', () => {
    const audit = hostAuditFixture()
    const alpha = audit.releases[0]
    const file = alpha?.files[0]
    if (!alpha || !file?.reference) throw new Error('fixture')
    alpha.files[0] = { ...file, reference: { ...file.reference, sha256: 'e'.repeat(64) } }
    const changed = buildAuditReport(audit, context)
    expect(changed.releases[0]?.files[0]?.detail).toContain('which the upstream published')
    expect(changed.counts.mismatched).toBe(3)
  })

  it('lists a withdrawn advisory but never counts or reports it', () => {
    const beta = report.releases.find((r) => r.name === 'beta')
    expect(beta?.vulnerabilities).toHaveLength(2)
    const titles = report.findings.map((f) => f.title)
    expect(titles).toContain('beta==1.0: PYSEC-2099-1 (CVE-2099-0001)')
    expect(titles.some((t) => t.includes('PYSEC-2099-2'))).toBe(false)
    expect(report.findings.find((f) => f.title.includes('PYSEC-2099-1'))?.fix).toContain(
      'update to 2.0 (fixed in 1.5)',
    )
  })

  it('blockers are the mismatched files; yanked and vulnerable are warnings', () => {
    expect(report.findings.filter((f) => f.severity === 'blocker').map((f) => f.title)).toEqual([
      'delta-3.0-py3-none-any.whl (delta==3.0) does not match its published digest',
      'epsilon-0.1-py3-none-any.whl (epsilon==0.1) cannot be read on the mirror host',
    ])
    expect(report.findings.find((f) => f.title.includes('yanked'))).toMatchObject({
      severity: 'warning',
      evidence: 'broken',
    })
  })

  it('exits 5 on a blocker, 6 on what --fail-on names, 0 otherwise', () => {
    expect(auditExitCode(report, [])).toBe(5)
    const fine = hostAuditFixture()
    fine.releases = fine.releases.slice(0, 3)
    const clean = buildAuditReport(fine, context)
    expect(auditExitCode(clean, [])).toBe(0)
    expect(auditExitCode(clean, ['vulnerable'])).toBe(6)
    expect(auditExitCode(clean, ['yanked'])).toBe(6)
    fine.releases = fine.releases.slice(0, 1)
    expect(auditExitCode(buildAuditReport(fine, context), ['vulnerable', 'yanked'])).toBe(0)
  })

  it('prints one line per release with its digest state, licence, yank, advisories and newest', () => {
    const text = renderAudit(report, false)
    const line = (name: string) => text.split('\n').find((l) => l.trimStart().startsWith(name))
    expect(line('alpha 1.1')).toMatch(/ok\s+2024-01-01\s+MIT\s+-\s+-\s+current/)
    expect(line('beta 1.0')).toContain('PYSEC-2099-1 (fixed in 1.5)')
    expect(line('beta 1.0')).toContain('2.0 (fixes)')
    expect(line('gamma 1.0 (retained)')).toContain('yes: broken')
    expect(line('delta 3.0')).toContain('1 MISMATCH')
    expect(text).toContain('5 release(s), 5 file(s): 2 mismatched, 1 yanked, 1 vulnerable')
  })
})
