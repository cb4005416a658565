import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SiteInput } from '#shared/site'
import { OPS_USER, startBareBed, type BareBed } from '../testbed/bare-host/bed'
import type { BareHost } from '../testbed/bare-host/host'
import { getFromHost } from '../testbed/bare-host/inside'
import { pipMirrorOn } from '../testbed/bare-host/pip-mirror-on'
import { ensureCliBuilt } from '../testbed/cli'
import { REAL_DISTS, realDists } from '../testbed/real-dists'

/**
 * Scenario 2 of issue 14, through the `pip-mirror` command: a Debian 12 root, logged into as an
 * admin whose sudo asks a password, the mirror under that user's home at Debian's default mode
 * (0700). apply installs everything and reports the 403 with the doctor's finding; repair
 * changes exactly one mode bit; apply then ends verified. (The wizard's version is
 * test/e2e/bare-host-wizard.test.ts.)
 */
let bed: BareBed
let host: BareHost
let site: SiteInput
const home = `/home/${OPS_USER.name}`

beforeAll(async () => {
  await ensureCliBuilt()
  bed = await startBareBed({ wheelsDir: await realDists() })
  host = await bed.startHost({ name: 'mirror12', suite: 'bookworm' })
  await bed.addSudoUser(host)
  site = bed.mirrorSite(host, {
    user: OPS_USER.name,
    directory: `${home}/pypi`,
    requirements: [...REAL_DISTS.requested],
    pythonVersions: ['3.11'],
  })
})

afterAll(async () => {
  await bed?.stop()
})

/** Every entry under the home directory with its mode, as `find -printf` lists them. */
async function modesUnderHome(): Promise<Map<string, string>> {
  const out = await host.run(['find', home, '-printf', '%m %p\\n'])
  return new Map(
    out
      .trim()
      .split('\n')
      .map((line) => line.split(' ').reverse() as [string, string]),
  )
}

describe('Debian 12, a sudo-password admin, the mirror in their home', () => {
  it('apply installs everything, then reports the 403 with the doctor finding', async () => {
    expect(await host.run(['stat', '-c', '%a', home])).toBe('700\n')
    const run = await pipMirrorOn(bed, 'apply', site)
    expect(run.code).toBe(1)
    expect(run.summary.get('tools')).toMatch(/^changed/)
    expect(run.summary.get('sync')).toMatch(/^changed/)
    expect(run.summary.get('nginx')).toMatch(/^failed \(\d+ changes\)/)
    // Not only "403, run the doctor": what blocks nginx, and the one change that fixes it.
    expect(run.stdout).toContain(
      `answers HTTP 403 Forbidden: www-data cannot pass through ${home} (ops:ops 0700 drwx------)`,
    )
    expect(run.stdout).toContain(`chmod o+x ${home} (0700 → 0701), nothing else`)
    expect((await getFromHost(host, `http://${host.address}/pypi/simple/`)).status).toBe(403)
  })

  it('doctor says the same, and repair makes exactly that change', async () => {
    const doctor = await pipMirrorOn(bed, 'doctor', site)
    expect(doctor.code).toBe(1)
    expect(doctor.stdout).toContain(`www-data cannot pass through ${home}`)

    const before = await modesUnderHome()
    const repair = await pipMirrorOn(bed, 'repair', site)
    expect(repair.code, repair.output).toBe(0)
    const after = await modesUnderHome()
    const changed = [...after].filter(([path, mode]) => before.get(path) !== mode)
    expect(changed).toEqual([[home, '701']])
    expect((await getFromHost(host, `http://${host.address}/pypi/simple/`)).status).toBe(200)
  })

  it('apply then ends verified', async () => {
    const run = await pipMirrorOn(bed, 'apply', site)
    expect(run.code, run.output).toBe(0)
    expect(run.summary.get('verify')).toBe('ok')
    expect(run.stdout).toMatch(
      /All 17 pinned releases install from \S+ on each of the \d+ targets where they are needed/,
    )
  })
})
