import { describe, expect, it } from 'vitest'
import { parsePinnedRequirements } from '../../../src-main/engine/steps/pinned-requirements'
import { describePinChange, diffPins } from '../../../src-main/engine/update/pin-diff'
import { retainedAfterUpdate, retainedText } from '../../../src-main/engine/update/retained-pins'
import { upgradeFlags } from '#shared/upgrade-choice'
import {
  CONSTRAINTS_PLACEHOLDER,
  PREVIEW_PLACEHOLDER,
  resolveUpgradeArgv,
  targetCaps,
} from '../../../src-main/engine/update/resolve-upgrade'
import { parseSite } from '#shared/site'

const pins = (text: string) => parsePinnedRequirements(text)

describe('the pin diff of an update', () => {
  const before = pins(
    [
      'alpha==1.0',
      "beta==1.0 ; python_full_version < '3.9'",
      "beta==2.0 ; python_full_version >= '3.9'",
      'gamma==1.0',
      'old==0.1',
    ].join('\n'),
  )
  const after = pins(['alpha==1.1', 'beta==2.0', 'gamma==1.0', 'new==3.0'].join('\n'))

  it('says old → new per project (forks by marker included), added and removed, in name order', () => {
    const diff = diffPins(before, after)
    expect(diff.unchanged).toBe(1)
    expect(diff.changes).toEqual([
      { name: 'alpha', kind: 'changed', from: ['1.0'], to: ['1.1'] },
      { name: 'beta', kind: 'changed', from: ['1.0', '2.0'], to: ['2.0'] },
      { name: 'new', kind: 'added', from: [], to: ['3.0'] },
      { name: 'old', kind: 'removed', from: ['0.1'], to: [] },
    ])
    expect(diff.changes.map(describePinChange)).toEqual([
      'alpha 1.0 → 1.1',
      'beta 1.0, 2.0 → 2.0',
      '+ new 3.0',
      '- old 0.1',
    ])
  })

  it('the same pins in another order are no change', () => {
    expect(diffPins(before, [...before].reverse()).changes).toEqual([])
  })

  it('keeps every replaced or dropped pin served until a prune, never one that is pinned again', () => {
    const retained = retainedAfterUpdate(before, pins('zeta==1.0\nalpha==1.1'), after)
    expect(retained.map((p) => `${p.name}==${p.version}`)).toEqual([
      'alpha==1.0',
      'beta==1.0',
      'old==0.1',
      'zeta==1.0',
    ])
    const text = retainedText(retained)
    expect(pins(text).map((p) => `${p.name}==${p.version}`)).toEqual([
      'alpha==1.0',
      'beta==1.0',
      'old==0.1',
      'zeta==1.0',
    ])
    expect(text.startsWith('# ')).toBe(true)
  })
})

describe('the resolver flags of each upgrade choice', () => {
  it('all, named projects, or security fixes with the fixed release as a floor', () => {
    expect(upgradeFlags({ kind: 'all' })).toEqual(['--upgrade'])
    expect(upgradeFlags({ kind: 'projects', projects: ['alpha', 'beta'] })).toEqual([
      '--upgrade-package',
      'alpha',
      '--upgrade-package',
      'beta',
    ])
    expect(
      upgradeFlags({ kind: 'security' }, [{ name: 'alpha', atLeast: '1.2', advisories: ['X'] }]),
    ).toEqual(['--upgrade-package', 'alpha>=1.2'])
    expect(upgradeFlags({ kind: 'security' }, [])).toEqual([])
  })

  it('resolves on a copy of requirements.txt (the placeholder), uv as the requirements step runs it', () => {
    const site = parseSite({
      mirror: {
        ssh: { host: '10.0.0.5', user: 'ops' },
        directory: '/srv/pypi',
        requirements: ['alpha'],
        proxy: 'http://proxy.example:3128',
        serve: { listen: '10.0.0.5:8080' },
      },
    })
    const argv = resolveUpgradeArgv(site.mirror, ['--upgrade'], true)
    expect(argv.slice(0, 2)).toEqual(['sh', '-c'])
    const args = argv.slice(4)
    expect(args[0]).toBe('/srv/pypi/requirements/requirements.txt')
    expect(args[1]).toBe(PREVIEW_PLACEHOLDER)
    expect(args[2]).toBe(CONSTRAINTS_PLACEHOLDER)
    expect(args.slice(3, 6)).toEqual([
      'env',
      'HTTP_PROXY=http://proxy.example:3128',
      'HTTPS_PROXY=http://proxy.example:3128',
    ])
    expect(args).toContain('--output-file')
    expect(args[args.indexOf('--output-file') + 1]).toBe(PREVIEW_PLACEHOLDER)
    expect(args.slice(-3)).toEqual(['--upgrade', '--constraint', CONSTRAINTS_PLACEHOLDER])
    expect(args).toContain('/srv/pypi/requirements/requirements.in')
    expect(resolveUpgradeArgv(site.mirror, ['--upgrade'], false)).not.toContain('--constraint')
  })

  it('caps a project at the newest release the targets install when a newer one has no file for them', () => {
    expect(
      targetCaps([
        { name: 'alpha', newest: '1.2', latest: '2.0' },
        { name: 'beta', newest: '2.0', latest: '2.0' },
        { name: 'gamma', newest: null, latest: '1.0' },
      ]),
    ).toEqual(['alpha<=1.2'])
  })
})
