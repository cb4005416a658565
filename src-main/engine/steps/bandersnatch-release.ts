/**
 * Which bandersnatch a host gets: the newest release its Python can run (Requires-Python as
 * published on PyPI: 8.x and 7.x need 3.12, 6.6 to 6.8 need 3.11, 6.4 and 6.5 need 3.10, earlier
 * 6.x need 3.8).
 */
const RELEASES: { version: string; minPython: [number, number] }[] = [
  { version: '8.2.0', minPython: [3, 12] },
  { version: '6.8.0', minPython: [3, 11] },
  { version: '6.5.0', minPython: [3, 10] },
  { version: '6.3.0', minPython: [3, 8] },
]

export interface BandersnatchChoice {
  version: string
  reason: string
  /** 7.x and later read PyPI's JSON simple API; 6.x lists projects over XML-RPC. */
  api: 'xmlrpc' | 'simple-json'
}

export function chooseBandersnatch(pythonVersion: string): BandersnatchChoice | null {
  const [major = 0, minor = 0] = pythonVersion.split('.').map(Number)
  const release = RELEASES.find(({ minPython: [m, n] }) => major > m || (major === m && minor >= n))
  if (!release) return null
  const newest = RELEASES[0] as (typeof RELEASES)[number]
  const reason =
    release === newest
      ? `bandersnatch ${release.version}, the newest release, for Python ${pythonVersion}`
      : `bandersnatch ${release.version}: the newest release that runs on Python ${pythonVersion} (${newest.version} needs Python ${newest.minPython.join('.')} or later)`
  return {
    version: release.version,
    reason,
    api: Number(release.version.split('.')[0]) >= 7 ? 'simple-json' : 'xmlrpc',
  }
}

/** The resolver installed beside bandersnatch; pinned so every host resolves alike. */
export const UV_VERSION = '0.13.9'
