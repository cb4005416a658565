import { describe, expect, it } from 'vitest'
import { isPrunablePath, pruneTargetsFrom } from '../../../src-main/engine/prune/prune-targets'

const web = '/srv/pypi/web'

describe('what a prune may delete', () => {
  it('files under web/packages, and a project’s index pages and saved JSON; nothing else', () => {
    for (const ok of [
      `${web}/packages/aa/bb/cccc/alpha-1.0-py3-none-any.whl`,
      `${web}/simple/alpha/index.html`,
      `${web}/simple/alpha/index.v1_json`,
      `${web}/json/alpha`,
      `${web}/pypi/alpha/json`,
    ])
      expect(isPrunablePath(web, ok), ok).toBe(true)
    for (const bad of [
      `${web}/packages/../../../etc/passwd`,
      `${web}/packages/aa/./bb`,
      `${web}/packages//aa`,
      `${web}/simple/index.html`,
      `${web}/simple/alpha/other`,
      `${web}/pypi/alpha/json/x`,
      `${web}/last-modified`,
      `${web}`,
      '/srv/pypi/bandersnatch.conf',
      '/etc/passwd',
      `${web}-other/packages/a`,
    ])
      expect(isPrunablePath(web, bad), bad).toBe(false)
  })

  it('drops whatever the host listed outside those places, and says so', () => {
    const targets = pruneTargetsFrom(web, ['alpha==1.0'], 'alpha==1.0\n', {
      files: [
        { pin: 'alpha==1.0', path: `${web}/packages/aa/bb/cc/alpha-1.0.whl`, size: 10 },
        { pin: 'alpha==1.0', path: `${web}/simple/alpha/index.html`, size: 1 },
        { pin: 'alpha==1.0', path: '/etc/shadow', size: 1 },
      ],
      pages: [`${web}/json/alpha`, `${web}/packages/aa/x`],
      refused: [{ path: `${web}/packages/zz/link.whl`, reason: 'a symbolic link' }],
    })
    expect(targets.paths).toEqual([`${web}/packages/aa/bb/cc/alpha-1.0.whl`, `${web}/json/alpha`])
    expect(targets.bytes).toBe(10)
    expect(targets.refused.map((r) => r.path)).toEqual([
      `${web}/packages/zz/link.whl`,
      `${web}/simple/alpha/index.html`,
      '/etc/shadow',
      `${web}/packages/aa/x`,
    ])
    const again = pruneTargetsFrom(web, ['alpha==1.0'], 'alpha==1.0\n', {
      files: [{ pin: 'alpha==1.0', path: `${web}/packages/aa/bb/cc/alpha-1.0.whl`, size: 10 }],
      pages: [],
      refused: [],
    })
    expect(again.digest).not.toBe(targets.digest)
  })
})
