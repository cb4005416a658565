import { describe, expect, it } from 'vitest'
import { parseCliArgs, UsageError } from '../../../src-main/cli/args'

describe('the audit, update and prune options', () => {
  it('reads --fail-on (repeated or comma-separated), --sbom, --osv and --offline', () => {
    const options = parseCliArgs([
      'audit',
      '--site',
      's.json',
      '--fail-on',
      'vulnerable,yanked',
      '--fail-on',
      'yanked',
      '--sbom',
      'bom.json',
      '--osv',
      'all.zip',
      '--offline',
    ])
    expect(options).toMatchObject({
      command: 'audit',
      failOn: ['vulnerable', 'yanked', 'yanked'],
      sbom: 'bom.json',
      osv: 'all.zip',
      offline: true,
    })
    expect(() => parseCliArgs(['audit', '--site', 's.json', '--fail-on', 'outdated'])).toThrow(
      /--fail-on takes "vulnerable" or "yanked"/,
    )
  })

  it('update takes --security-only or --project NAME (repeatable), never both, and never --offline', () => {
    expect(parseCliArgs(['update', '--site', 's', '--security-only'])).toMatchObject({
      securityOnly: true,
      projects: [],
    })
    expect(
      parseCliArgs(['update', '--site', 's', '--project', 'alpha', '--project', 'beta']).projects,
    ).toEqual(['alpha', 'beta'])
    expect(() =>
      parseCliArgs(['update', '--site', 's', '--security-only', '--project', 'alpha']),
    ).toThrow(UsageError)
    expect(() => parseCliArgs(['update', '--site', 's', '--offline'])).toThrow(
      /update resolves against the upstream/,
    )
    expect(parseCliArgs(['prune', '--site', 's', '--yes']).command).toBe('prune')
  })
})
