import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SiteInput } from '#shared/site'
import { startBareBed, type BareBed } from '../testbed/bare-host/bed'
import type { BareHost } from '../testbed/bare-host/host'
import { getFromHost, pipInstallOnHost } from '../testbed/bare-host/inside'
import { pipMirrorOn } from '../testbed/bare-host/pip-mirror-on'
import { ensureCliBuilt } from '../testbed/cli'
import { REAL_DISTS, realClosurePins, realDists } from '../testbed/real-dists'
import { olSandboxBaseRoot } from '../testbed/ol-sandbox-root'
import { sh } from '../testbed/processes'
import { installOlStandin } from '../testbed/worker-hosts'

/**
 * Scenarios 1 and 4 of issue 14. A Debian 13 root as debootstrap makes it (openssh-server, sudo,
 * python3, ca-certificates; no venv module, no nginx, no route out but the operator's proxy),
 * logged into as root: `pip-mirror apply` from nothing ends verified, and pip in a fresh venv on
 * that host installs every pin from the mirror. Then an OpenLambda worker on a third host (a
 * Debian 12 root) is set up against the mirror host's address on the test network.
 */
let bed: BareBed
let mirrorHost: BareHost
let site: SiteInput

beforeAll(async () => {
  await ensureCliBuilt()
  bed = await startBareBed({ wheelsDir: await realDists() })
  mirrorHost = await bed.startHost({ name: 'mirror13', suite: 'trixie' })
  site = bed.mirrorSite(mirrorHost, {
    requirements: [...REAL_DISTS.requested],
    pythonVersions: ['3.10', '3.11', '3.13'],
  })
})

afterAll(async () => {
  await bed?.stop()
})

const indexUrl = () => `http://${mirrorHost.address}/pypi/simple/`

describe('Debian 13, root, from nothing', () => {
  it('pip-mirror apply installs what is missing and ends verified', async () => {
    const run = await pipMirrorOn(bed, 'apply', site)
    expect(run.code, run.output).toBe(0)
    expect(run.stdout).toContain('Done:')
    expect([...run.summary.values()].every((s) => /^(ok|changed)/.test(s))).toBe(true)
    // Debian 13's Python 3.13: the newest bandersnatch, reading the PEP 691 simple API.
    expect(run.stdout).toContain('bandersnatch 8.2.0, the newest release, for Python 3.13')
    expect(run.stdout).toContain('Fetching all packages via Simple (PEP 691 v1) API')
    // What the bare root lacked, installed by the product: the venv module, then nginx, which
    // it started itself (no systemd here) and which runs in this host only.
    expect(run.stdout).toMatch(/apt-get install -y python3 python3-venv/)
    expect(run.stdout).toMatch(/apt-get install -y nginx/)
    expect(await mirrorHost.hasProcess('nginx')).toBe(true)
  })

  it('went out only through the site proxy, from every tool that reaches the upstream or PyPI', () => {
    const asked = bed.proxy.requests()
    const upstream = bed.upstream.url
    // apt (the host's own apt.conf), pip installing bandersnatch and uv (--proxy), the size
    // probe and bandersnatch (JSON API), uv pip compile (simple pages), bandersnatch's files.
    expect(asked).toContain('CONNECT pypi.org:443')
    expect(
      asked.some((r) => r.startsWith('GET http://deb.debian.org/debian/pool/main/n/nginx/')),
    ).toBe(true)
    expect(asked).toContain(`GET ${upstream}/pypi/flask/json`)
    expect(asked).toContain(`GET ${upstream}/simple/flask/`)
    expect(asked).toContain(`GET ${upstream}/simple`)
    expect(asked.some((r) => /^GET \S+\/packages\/.*\/pydantic_core-2\.33\.2-cp313-/.test(r))).toBe(
      true,
    )
  })

  it('pip in a fresh venv on the host installs every pin from the mirror, and nothing else', async () => {
    const pins = await mirrorHost.run(['cat', '/srv/pypi/requirements/requirements.txt'])
    const pinned = [...pins.matchAll(/^([A-Za-z0-9._-]+)==(\S+)/gm)].map((m) => `${m[1]}==${m[2]}`)
    expect(new Map(pinned.map((p) => p.split('==') as [string, string]))).toEqual(realClosurePins())
    // The yanked requests 2.32.1 is newer upstream; the resolver passed it over.
    expect(pinned).toContain('requests==2.31.0')
    const install = await pipInstallOnHost(mirrorHost, indexUrl(), pinned)
    expect(install.code, install.output).toBe(0)
    // pip freeze: every pin installed, names as their metadata spells them (PEP 503 to compare).
    const normalize = (text: string) => text.toLowerCase().replace(/[-_.]+(?=[^=\n]*==)/g, '-')
    const frozen = normalize(install.output)
    for (const pin of pinned) expect(frozen).toContain(normalize(pin))
    expect(install.output).toMatch(/pydantic_core-2\.33\.2-cp313-cp313-manylinux/)
  })

  it('a second apply changes nothing and says so', async () => {
    bed.proxy.clearRequests()
    const run = await pipMirrorOn(bed, 'apply', site)
    expect(run.code, run.output).toBe(0)
    expect(run.stdout).toContain('Nothing to change: the host is as described, verified.')
  })
})

describe("an OpenLambda worker on a third bare host (OpenLambda's `ol`: the stand-in)", () => {
  let worker: BareHost

  beforeAll(async () => {
    worker = await bed.startHost({ name: 'worker12', suite: 'bookworm' })
    // OpenLambda's `ol` (the stand-in: the real one needs Go, Docker and cgroups) as its admin
    // installed it, with the base image it dumps into each worker (ol-min's stand-in) on the
    // host's own disk; everything else on the worker comes from the product.
    const inside = `/proc/${worker.pid()}/root`
    await sh('cp', ['-a', await olSandboxBaseRoot(), `${inside}/opt/ol-min`])
    await installOlStandin(`${inside}/usr/local`, {
      workerPort: 'default',
      baseRoot: '/opt/ol-min',
    })
  })

  it('is set up against the mirror host address, and installs from it', async () => {
    const withWorker: SiteInput = {
      ...site,
      workers: [
        {
          ssh: { ...worker.sshTarget(), identityFile: bed.key.path },
          workerDir: '/srv/ol-worker',
          ol: '/usr/local/bin/ol',
          registryRequirements: ['flask', 'pydantic'],
        },
      ],
    }
    const run = await pipMirrorOn(bed, 'apply', withWorker)
    expect(run.code, run.output).toBe(0)
    const config = JSON.parse(await worker.run(['cat', '/srv/ol-worker/config.json'])) as {
      pip_mirror: string
    }
    expect(config.pip_mirror).toBe(`http://${mirrorHost.address}:80/pypi`)
    const status = await worker.run([
      '/usr/local/bin/ol',
      'worker',
      'status',
      '-p',
      '/srv/ol-worker',
    ])
    expect(status).toMatch(/ready/)
    // The worker's own pip reaches the mirror host across the test network.
    expect((await getFromHost(worker, indexUrl())).status).toBe(200)
    const install = await pipInstallOnHost(worker, indexUrl(), ['flask', 'pydantic'])
    expect(install.code, install.output).toBe(0)
    expect(install.output).toMatch(/pydantic_core-2\.33\.2-cp311-cp311-manylinux/)
  })
})
