import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SiteInput } from '#shared/site'
import { startBareBed, type BareBed } from '../testbed/bare-host/bed'
import type { BareHost } from '../testbed/bare-host/host'
import { getFromHost, pipInstallOnHost } from '../testbed/bare-host/inside'
import { pipMirrorOn, stepsAfter, type BareRun } from '../testbed/bare-host/pip-mirror-on'
import { mountSmallDisk, type SmallDisk } from '../testbed/bare-host/small-disk'
import { ensureCliBuilt } from '../testbed/cli'
import { REAL_DISTS, realDists } from '../testbed/real-dists'

/**
 * Scenarios 6 and 7 of issue 14: the mirror directory is a filesystem of its own on the host (a
 * loop-mounted image), and it fills up while the sync runs (another program writes to it: the
 * plan's disk check had passed). The sync fails with "disk full" and the path, the mirror keeps
 * serving the index it had, the summary says which steps did not run, and once space is made
 * the next apply converges.
 */
let bed: BareBed
let host: BareHost
let disk: SmallDisk
let failed: BareRun | undefined
const directory = '/srv/pypi'

function siteWith(requirements: string[]): SiteInput {
  return bed.mirrorSite(host, { directory, requirements, pythonVersions: ['3.13'] })
}

beforeAll(async () => {
  await ensureCliBuilt()
  bed = await startBareBed({ wheelsDir: await realDists(), fileDelaySeconds: 0.3 })
  host = await bed.startHost({ name: 'small13', suite: 'trixie' })
  // Big enough for the plan's check (the closure plus 512 MB of headroom); sparse on this disk.
  disk = await mountSmallDisk(host, directory, 1024)
})

afterAll(async () => {
  await bed?.stop()
})

const index = () => `http://${host.address}/pypi/simple/`

describe('a mirror on its own small filesystem', () => {
  let served = ''

  it('serves a first, small mirror', async () => {
    const run = await pipMirrorOn(bed, 'apply', siteWith(['click']))
    expect(run.code, run.output).toBe(0)
    served = (await getFromHost(host, index())).body
    expect(served).toContain('click')
  })

  it('fails with "disk full" and the path when the filesystem fills up during the sync', async () => {
    let filling: Promise<void> | undefined
    const run = await pipMirrorOn(bed, 'apply', siteWith([...REAL_DISTS.requested]), {
      onOutput: (stdout) => {
        if (!filling && stdout.includes('Sync started')) filling = disk.fill()
      },
    })
    await filling
    failed = run
    expect(run.code).toBe(1)
    expect(run.summary.get('sync')).toMatch(/^failed/)
    expect(run.stdout).toMatch(/The sync stopped: disk full: no space left on \/srv\/pypi/)
    expect(run.stdout).toContain(`(on root@${host.address}:22)`)
    expect(run.stdout).toContain('What to do: free space on /srv/pypi, then apply again')
  })

  it('keeps serving the index it had', async () => {
    expect((await getFromHost(host, index())).body).toBe(served)
    const install = await pipInstallOnHost(host, index(), ['click'])
    expect(install.code, install.output).toBe(0)
  })

  it('converges on the next apply once space is made', async () => {
    await disk.makeSpace()
    const run = await pipMirrorOn(bed, 'apply', siteWith([...REAL_DISTS.requested]))
    expect(run.code, run.output).toBe(0)
    expect(run.summary.get('verify')).toBe('ok')
    expect((await getFromHost(host, index())).body).toContain('pydantic-core')
  })

  it('the failed apply says "not run" for the steps it did not get to', () => {
    const summary = failed?.summary ?? new Map<string, string>()
    const after = stepsAfter(summary, 'sync')
    expect(after).toEqual(['nginx', 'verify'])
    for (const step of after) expect(summary.get(step)).toMatch(/^not run\b/)
  })
})
