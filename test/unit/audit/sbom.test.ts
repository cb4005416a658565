import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildAuditReport } from '../../../src-main/engine/audit/audit-report'
import { cyclonedxSbom, pypiPurl } from '../../../src-main/engine/audit/sbom'
import { cyclonedxErrors } from '../../testbed/sbom-validator'
import { hostAuditFixture, release } from './host-audit-fixture'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pmw-sbom-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

function report() {
  const audit = hostAuditFixture()
  // A release with a wheel per platform, an old free-text licence and a classifier.
  const gamma = release({
    name: 'Gamma_Lib',
    version: '1.0+local',
    license: {
      expression: null,
      text: 'BSD',
      classifiers: ['License :: OSI Approved :: BSD License'],
      source: 'upstream',
    },
  })
  const wheel = gamma.files[0]
  if (wheel)
    gamma.files.push({ ...wheel, filename: 'gamma_lib-1.0+local-win.whl', sha256: 'b'.repeat(64) })
  audit.releases.push(gamma)
  return buildAuditReport(audit, {
    checkedAt: '2099-01-01T00:00:00.000Z',
    host: 'root@10.0.0.5:22',
    mirrorUrl: 'http://10.0.0.5:8080/pypi',
    retained: new Set(['gamma==1.0']),
    osvExport: null,
  })
}

async function errorsOf(document: unknown): Promise<string[]> {
  const file = join(dir, `bom-${Math.random().toString(36).slice(2)}.json`)
  await writeFile(file, JSON.stringify(document))
  return (await cyclonedxErrors(file)).map((e) => `${e.path}: ${e.message}`)
}

describe('the CycloneDX SBOM of what the mirror serves', () => {
  it('names each release by its PyPI package URL', () => {
    expect(pypiPurl('Gamma_Lib', '1.0+local')).toBe('pkg:pypi/gamma-lib@1.0%2Blocal')
    expect(pypiPurl('zope.interface', '6.0')).toBe('pkg:pypi/zope-interface@6.0')
  })

  it('has a component per release with its hashes and licences, and the vulnerabilities that affect them', () => {
    const sbom = cyclonedxSbom(report(), { toolVersion: '0.1.0' })
    expect(sbom.specVersion).toBe('1.5')
    const byName = new Map(sbom.components.map((c) => [c.name, c]))
    expect(byName.get('alpha')).toMatchObject({
      purl: 'pkg:pypi/alpha@1.1',
      hashes: [{ alg: 'SHA-256', content: 'a'.repeat(64) }],
      licenses: [{ expression: 'MIT' }],
    })
    const gamma = byName.get('Gamma_Lib')
    expect(gamma?.hashes).toBeUndefined()
    expect(gamma?.externalReferences.map((r) => r.hashes[0]?.content)).toEqual([
      'a'.repeat(64),
      'b'.repeat(64),
    ])
    expect(gamma?.licenses).toEqual([
      { license: { name: 'BSD' } },
      { license: { name: 'BSD License' } },
    ])
    expect(byName.get('gamma')?.properties).toEqual(
      expect.arrayContaining([
        { name: 'pip-mirror:yanked', value: 'broken' },
        expect.objectContaining({ name: 'pip-mirror:retained' }),
      ]),
    )
    // The missing file of epsilon has no hash to give.
    expect(byName.get('epsilon')?.externalReferences).toEqual([])
    expect(sbom.vulnerabilities.map((v) => [v.id, v.affects[0]?.ref])).toEqual([
      ['PYSEC-2099-1', 'pkg:pypi/beta@1.0'],
      ['PYSEC-2099-2', 'pkg:pypi/beta@1.0'],
    ])
    expect(sbom.vulnerabilities[0]).toMatchObject({
      references: [{ id: 'CVE-2099-0001' }],
      recommendation: 'Upgrade to 1.5 or later',
    })
    expect(sbom.vulnerabilities[1]?.rejected).toBe('2099-01-02T00:00:00Z')
  })

  it('is valid CycloneDX 1.5 for CycloneDX’s own validator, which refuses a broken one', async () => {
    const sbom = cyclonedxSbom(report(), { toolVersion: '0.1.0' })
    expect(await errorsOf(sbom)).toEqual([])
    // The control: the same validator finds what is wrong in a broken document.
    const broken = structuredClone(sbom) as Record<string, unknown> & {
      components: Record<string, unknown>[]
    }
    ;(broken.components[0] as Record<string, unknown>).hashes = [{ alg: 'SHA-256', content: 'zz' }]
    broken.serialNumber = 'not-a-uuid'
    const errors = await errorsOf(broken)
    expect(errors.some((e) => e.startsWith('serialNumber'))).toBe(true)
    expect(errors.some((e) => e.startsWith('components/0/hashes/0/content'))).toBe(true)
  }, 600_000)
})
