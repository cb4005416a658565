import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SiteInput } from '#shared/site'
import { startBareBed, type BareBed } from '../testbed/bare-host/bed'
import type { BareHost } from '../testbed/bare-host/host'
import { pipMirrorOn, stepsAfter, type BareRun } from '../testbed/bare-host/pip-mirror-on'
import { ensureCliBuilt } from '../testbed/cli'
import { REAL_DISTS, realDists } from '../testbed/real-dists'

/**
 * Scenarios 5 and 7 of issue 14: the host loses its way out (the site's proxy stops) during
 * `apt-get install` and during the sync. Each time the error names the host and what it could
 * not reach, through which proxy; the summary says which steps did not run; once the proxy is
 * back, the next apply converges.
 */
let bed: BareBed
let host: BareHost
let site: SiteInput
let label: string
const failed: BareRun[] = []

beforeAll(async () => {
  await ensureCliBuilt()
  // A slow link for files only, so that the proxy can go while bandersnatch downloads.
  bed = await startBareBed({ wheelsDir: await realDists(), fileDelaySeconds: 0.4 })
  host = await bed.startHost({ name: 'flaky13', suite: 'trixie' })
  site = bed.mirrorSite(host, { requirements: ['click'], pythonVersions: ['3.13'] })
  label = `root@${host.address}:22`
})

afterAll(async () => {
  await bed?.stop()
})

/** The proxy as apt and bandersnatch name it: address and port. */
const proxy = () => new URL(bed.proxy.url).host
const escape = (text: string) => text.replace(/[.]/g, '\\.')

/** Stops the proxy the first time the command's output matches `when`. */
function stopProxyWhen(when: RegExp): (stdout: string) => void {
  let stopped = false
  return (stdout) => {
    if (stopped || !when.test(stdout)) return
    stopped = true
    void bed.proxy.stop()
  }
}

describe('the proxy stops during apt-get install', () => {
  it('fails naming the host, the Debian archive and the proxy it could not reach', async () => {
    // The command line as the apply runs it (indented as output), not as the plan lists it.
    const run = await pipMirrorOn(bed, 'apply', site, {
      onOutput: stopProxyWhen(
        /\n {4}\(as root\) \$ env DEBIAN_FRONTEND=noninteractive apt-get install/,
      ),
    })
    failed.push(run)
    expect(bed.proxy.running()).toBe(false)
    expect(run.code).toBe(1)
    expect(run.summary.get('tools')).toMatch(/^failed/)
    expect(run.stdout).toContain(
      `could not reach deb.debian.org through the proxy ${proxy()}: connection refused`,
    )
    expect(run.stdout).toContain(`(on ${label})`)
    expect(run.stdout).toContain(`What to do: check that the proxy ${proxy()} runs`)
  })

  it('converges on the next apply once the proxy is back', async () => {
    await bed.proxy.start()
    const run = await pipMirrorOn(bed, 'apply', site)
    expect(run.code, run.output).toBe(0)
    expect(run.stdout).toContain('Done:')
  })
})

describe('the proxy stops during the sync', () => {
  it('fails naming the host, the upstream and the proxy bandersnatch could not reach', async () => {
    const more = { ...site, mirror: { ...site.mirror, requirements: [...REAL_DISTS.requested] } }
    const run = await pipMirrorOn(bed, 'apply', more, {
      onOutput: stopProxyWhen(/Downloading: http/),
    })
    failed.push(run)
    expect(run.code).toBe(1)
    expect(run.summary.get('sync')).toMatch(/^failed/)
    const upstream = new URL(bed.upstream.url).host
    expect(run.stdout).toMatch(
      new RegExp(
        `The sync stopped: bandersnatch could not reach ${escape(upstream)} through the proxy ${escape(proxy())}: (connection refused|the connection was cut)`,
      ),
    )
    expect(run.stdout).toContain(`(on ${label})`)

    await bed.proxy.start()
    const again = await pipMirrorOn(bed, 'apply', more)
    expect(again.code, again.output).toBe(0)
    expect(again.summary.get('verify')).toBe('ok')
  })
})

describe('the summary of a failed apply', () => {
  it('says "not run" for every step after the one that failed', () => {
    expect(failed).toHaveLength(2)
    for (const run of failed) {
      const failedStep = [...run.summary].find(([, status]) => status.startsWith('failed'))?.[0]
      const after = stepsAfter(run.summary, failedStep ?? '')
      expect(after.length).toBeGreaterThan(0)
      for (const step of after) expect(run.summary.get(step)).toMatch(/^not run\b/)
    }
  })
})
