import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBareBed, type BareBed } from '../testbed/bare-host/bed'
import type { BareHost } from '../testbed/bare-host/host'
import { getFromHost } from '../testbed/bare-host/inside'
import { pipMirrorOn } from '../testbed/bare-host/pip-mirror-on'
import { ensureCliBuilt } from '../testbed/cli'

/**
 * Scenario 3 of issue 14: a port the mirror needs is held by another server on the host. The
 * plan says so before anything is installed, naming the port and the process, and says what it
 * does about it; nginx never fails afterwards with a raw bind() error. On a host where nginx
 * already serves other sites, those keep serving.
 */
let bed: BareBed

beforeAll(async () => {
  await ensureCliBuilt()
  bed = await startBareBed()
})

afterAll(async () => {
  await bed?.stop()
})

/** Another web server, as an admin left it running: Python's, on port 80 of every address. */
async function startOtherServer(host: BareHost): Promise<number> {
  await host.run([
    'sh',
    '-c',
    'mkdir -p /srv/other && echo "the other server" > /srv/other/index.html',
  ])
  await host.run([
    'sh',
    '-c',
    'cd /srv/other && setsid python3 -m http.server 80 >/dev/null 2>&1 </dev/null & echo $! > /run/other.pid; sleep 1',
  ])
  return Number(await host.run(['cat', '/run/other.pid']))
}

/** What the product would have installed, had it gone ahead. */
async function installed(host: BareHost): Promise<string[]> {
  const out = await host.run([
    'sh',
    '-c',
    'for p in /usr/sbin/nginx /opt/pip-mirror-wizard /srv/pypi; do [ -e "$p" ] && echo "$p"; done; ' +
      'dpkg-query -W -f="\\${Status}" python3-venv 2>/dev/null | grep -q "ok installed" && echo python3-venv; true',
  ])
  return out.split('\n').filter(Boolean)
}

describe('port 80 held by another server on a bare Debian 13 host', () => {
  let host: BareHost
  let pid: number

  beforeAll(async () => {
    host = await bed.startHost({ name: 'busy80', suite: 'trixie' })
    pid = await startOtherServer(host)
  })

  it('a site on that port: the plan refuses before anything is installed, naming port and process', async () => {
    const site = bed.mirrorSite(host, { requirements: ['alpha'] })
    for (const command of ['plan', 'apply'] as const) {
      const run = await pipMirrorOn(bed, command, site)
      expect(run.code).toBe(1)
      expect(run.stdout).toContain(
        `Port 80 on ${host.address} is already taken by python3 (pid ${pid})`,
      )
      expect(run.stdout).toContain('or choose another port for serve.listen; nothing was installed')
      expect(run.summary.get('preflight')).toBe('failed')
    }
    expect(await installed(host)).toEqual([])
  })

  it('a site on another port: the plan keeps Debian default site off port 80, and nginx starts', async () => {
    const site = bed.mirrorSite(host, { requirements: ['alpha'], listen: `${host.address}:8080` })
    const plan = await pipMirrorOn(bed, 'plan', site)
    expect(plan.code, plan.output).toBe(0)
    expect(plan.stdout).toContain(
      `Port 80 is taken by python3 (pid ${pid}): Debian's default nginx site cannot listen there`,
    )
    expect(plan.stdout).toContain(
      `Keep Debian's default site disabled: port 80 is taken by python3 (pid ${pid})`,
    )
    expect(plan.stdout).toContain('$ rm -f /etc/nginx/sites-enabled/default')
    expect(await installed(host)).toEqual([])

    const run = await pipMirrorOn(bed, 'apply', site)
    expect(run.code, run.output).toBe(0)
    expect(run.output).not.toMatch(/bind\(\) to/)
    expect(await host.hasProcess('nginx')).toBe(true)
    expect((await host.exec(['test', '-e', '/etc/nginx/sites-enabled/default'])).code).toBe(1)
    expect((await host.exec(['test', '-e', '/etc/nginx/sites-available/default'])).code).toBe(0)
    // Both servers answer, each on its own port.
    expect((await getFromHost(host, `http://${host.address}:8080/pypi/simple/`)).status).toBe(200)
    expect((await getFromHost(host, `http://${host.address}/`)).body).toContain('the other server')
  })
})

describe('a Debian 12 host where nginx already serves other sites', () => {
  let host: BareHost
  const shop = `server {\n    listen 8081;\n    root /srv/shop;\n}\n`

  beforeAll(async () => {
    host = await bed.startHost({ name: 'nginx12', suite: 'bookworm' })
    // As its admin set it up: Debian's nginx with its default site, plus a shop on 8081.
    await host.run([
      'sh',
      '-c',
      'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null',
    ])
    await host.run(
      [
        'sh',
        '-c',
        'mkdir -p /srv/shop && echo "the shop" > /srv/shop/index.html && cat > /etc/nginx/sites-available/shop && ln -s ../sites-available/shop /etc/nginx/sites-enabled/shop',
      ],
      { input: shop },
    )
    await host.run(['sh', '-c', 'nginx -s reload 2>/dev/null || nginx'])
    expect((await getFromHost(host, `http://${host.address}:8081/`)).body).toContain('the shop')
  })

  it('a mirror on the port of another site is refused before anything changes', async () => {
    const site = bed.mirrorSite(host, { requirements: ['alpha'], listen: `${host.address}:8081` })
    const run = await pipMirrorOn(bed, 'apply', site)
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      `nginx already serves other sites on port 8081: a server for ${host.address}:8081 would answer their requests to ${host.address}`,
    )
    expect(run.stdout).toContain('/etc/nginx/sites-enabled/shop: listen *:8081')
    expect(await installed(host)).toEqual(['/usr/sbin/nginx'])
  })

  it('a mirror on its own port: the other sites keep serving', async () => {
    const welcome = (await getFromHost(host, `http://${host.address}/`)).body
    expect(welcome).toContain('Welcome to nginx')
    const site = bed.mirrorSite(host, { requirements: ['alpha'], listen: `${host.address}:8080` })
    const run = await pipMirrorOn(bed, 'apply', site)
    expect(run.code, run.output).toBe(0)
    expect((await getFromHost(host, `http://${host.address}:8080/pypi/simple/`)).status).toBe(200)
    expect((await getFromHost(host, `http://${host.address}:8081/`)).body).toContain('the shop')
    expect((await getFromHost(host, `http://${host.address}/`)).body).toBe(welcome)
    expect(await host.run(['readlink', '/etc/nginx/sites-enabled/default'])).toBe(
      '/etc/nginx/sites-available/default\n',
    )
  })
})
