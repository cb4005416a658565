import type { HostAudit, HostRelease } from '../../../src-main/engine/audit/host-audit'

const sha = (c: string): string => c.repeat(64)

export function release(
  overrides: Partial<HostRelease> & Pick<HostRelease, 'name' | 'version'>,
): HostRelease {
  return {
    source: 'upstream',
    files: [
      {
        filename: `${overrides.name}-${overrides.version}-py3-none-any.whl`,
        path: `packages/aa/bb/cc/${overrides.name}-${overrides.version}-py3-none-any.whl`,
        sha256: sha('a'),
        size: 1000,
        indexSha256: sha('a'),
        indexYanked: null,
        reference: {
          sha256: sha('a'),
          uploadTime: '2024-01-01T02:00:00.000000Z',
          yanked: false,
          yankedReason: null,
        },
      },
    ],
    yanked: false,
    yankedReason: null,
    uploadTime: '2024-01-01T02:00:00.000000Z',
    license: { expression: 'MIT', text: null, classifiers: [], source: 'upstream' },
    vulnerabilities: [],
    newest: overrides.version,
    latest: overrides.version,
    outdated: false,
    fixFloor: null,
    errors: [],
    ...overrides,
  }
}

/** Five releases, each with one thing to find: clean, vulnerable (with a fix), yanked, corrupt, gone. */
export function hostAuditFixture(): HostAudit {
  const clean = release({ name: 'alpha', version: '1.1' })
  const vulnerable = release({
    name: 'beta',
    version: '1.0',
    newest: '2.0',
    latest: '2.0',
    outdated: true,
    fixFloor: '1.5',
    vulnerabilities: [
      {
        id: 'PYSEC-2099-1',
        aliases: ['CVE-2099-0001'],
        summary: 'beta leaks',
        fixedIn: ['1.5'],
        withdrawn: null,
        link: 'https://osv.dev/vulnerability/PYSEC-2099-1',
        source: 'pypi',
        fixVersion: '1.5',
        newestFixes: true,
      },
      {
        id: 'PYSEC-2099-2',
        aliases: [],
        summary: 'withdrawn: not a bug',
        fixedIn: [],
        withdrawn: '2099-01-02T00:00:00Z',
        link: null,
        source: 'pypi',
        fixVersion: null,
        newestFixes: false,
      },
    ],
  })
  const yanked = release({ name: 'gamma', version: '1.0', yanked: true, yankedReason: 'broken' })
  const corrupt = release({ name: 'delta', version: '3.0' })
  const first = corrupt.files[0]
  if (first) corrupt.files[0] = { ...first, sha256: sha('f') }
  const gone = release({ name: 'epsilon', version: '0.1' })
  const only = gone.files[0]
  if (only) gone.files[0] = { ...only, sha256: undefined, size: undefined, problem: 'missing' }
  return {
    upstream: { url: 'http://upstream.test', requests: 10, unreachable: null },
    releases: [clean, vulnerable, yanked, corrupt, gone],
  }
}
