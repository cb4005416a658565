import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { nginxSiteName, renderNginxSite } from '../../src-main/engine/config/nginx-site'
import { EngineError } from '../../src-main/engine/errors'
import { applyRepair, diagnoseMirror, planRepair } from '../../src-main/engine/permissions'
import type { RepairPlan } from '../../src-main/engine/permissions'
import { parseSite, type Site, type SiteInput } from '#shared/site'
import type { RemoteHost } from '../../src-main/engine/ssh/remote-host'
import { ensureCliBuilt, runPipMirror } from '../testbed/cli'
import { MIRROR_WHEELS } from '../testbed/mirror-tree'
import { startOverlayHost, type OverlayHost } from '../testbed/overlay-host'
import { freePort } from '../testbed/processes'

/**
 * The permission repair never leaves the mirror: each case is a mirror (or a mistake, or an
 * attack by the mirror's owner) that points the repair at this machine's own secrets. The
 * repair runs as root for real, so each case runs on a throw-away overlay of this machine
 * (test/testbed/overlay-host.ts): had it chmodded /etc/shadow, only the overlay would show it.
 * After each case: the modes of /etc/shadow, the SSH host keys, /etc/sudoers (and the rest
 * below) are as before, and no permission changed anywhere but where the plan said.
 */

const SENSITIVE = [
  '/etc/shadow',
  '/etc/shadow-',
  '/etc/ssh/ssh_host_*_key',
  '/etc/sudoers',
  '/etc/ssl/private',
  '/root',
]
const OWNER = 'pmw-overlay-owner'
const MIRROR = '/srv/pypi'
const ALPHA = MIRROR_WHEELS.alpha
const BETA = MIRROR_WHEELS.beta

/**
 * Lays out a mirror as bandersnatch and the product leave it, inside the overlay, owned by a
 * new account there: web/ (at WEB, linked from MIRROR/web when elsewhere) with simple pages,
 * two wheels, json, pypi, local-stats and last-modified; beside it the config, bandersnatch's
 * status (0600, as it writes it) and the product's sync wrapper and log.
 */
const LAY_OUT = `
set -eu
dir=$1; web=$2; owner=$3; alpha=$4; beta=$5
id -u "$owner" >/dev/null 2>&1 || useradd --create-home --shell /bin/sh "$owner"
mkdir -p "$dir/.pip-mirror" "$web/simple/alpha" "$web/simple/beta" "$web/json" "$web/pypi/alpha" \\
  "$web/local-stats/days" "$web/$(dirname "$alpha")" "$web/$(dirname "$beta")"
printf '[mirror]\\ndirectory = %s\\n' "$dir" > "$dir/bandersnatch.conf"
echo 123 > "$dir/status"
printf '#!/bin/sh\\nexec bandersnatch mirror\\n' > "$dir/.pip-mirror/sync-wrapper.sh"
echo 'sync started' > "$dir/.pip-mirror/sync.log"
printf '<a href="alpha/">alpha</a><a href="beta/">beta</a>\\n' > "$web/simple/index.html"
printf '<a href="../../%s">alpha</a>\\n' "$alpha" > "$web/simple/alpha/index.html"
printf '<a href="../../%s">beta</a>\\n' "$beta" > "$web/simple/beta/index.html"
echo 'PK alpha' > "$web/$alpha"
echo 'PK beta' > "$web/$beta"
echo '{}' > "$web/json/alpha"
echo '{}' > "$web/pypi/alpha/json"
echo 20260101T00:00:00 > "$web/last-modified"
chown -R "$owner:" "$dir" "$web"
find "$dir" "$web" -type d -exec chmod 0755 {} +
find "$dir" "$web" -type f -exec chmod 0644 {} +
chmod 0600 "$dir/status" "$dir/bandersnatch.conf"
chmod 0700 "$dir/.pip-mirror/sync-wrapper.sh"
if [ "$web" != "$dir/web" ]; then ln -s "$web" "$dir/web"; chown -h "$owner:" "$dir/web"; fi
`

let bed: OverlayHost
let root: RemoteHost
let before: Map<string, string>
let sensitive: Map<string, string>

beforeAll(async () => {
  await ensureCliBuilt()
})

beforeEach(async () => {
  bed = await startOverlayHost()
  root = await bed.connect()
})

afterEach(async () => {
  root?.close()
  await bed?.stop()
})

/** A mirror served by nginx inside the overlay; `web` is where web/ really is. */
async function mirror(options: { web?: string; layout?: boolean } = {}): Promise<Site> {
  const web = options.web ?? `${MIRROR}/web`
  if (options.layout === false)
    await bed.sh(
      `set -e; useradd --create-home "$3"; mkdir -p "$1"; echo x > "$1/bandersnatch.conf"
       echo 1 > "$1/status"; chmod 0600 "$1/status"; chown -R "$3:" "$1"; ln -s "$2" "$1/web"`,
      [MIRROR, web, OWNER],
    )
  else await bed.sh(LAY_OUT, [MIRROR, web, OWNER, ALPHA, BETA])
  const listen = `127.0.0.1:${await freePort()}`
  await bed.serveSite(
    nginxSiteName(listen),
    renderNginxSite({ listen, location: '/pypi/', webRoot: `${MIRROR}/web/` }),
    listen,
  )
  return parseSite(siteInput(listen))
}

function siteInput(listen: string): SiteInput {
  return {
    mirror: {
      ssh: { host: bed.host, port: bed.port, user: 'root', identityFile: bed.key.path },
      directory: MIRROR,
      requirements: ['alpha==1.0', 'beta==2.0'],
      serve: { listen, location: '/pypi/' },
    },
  }
}

/** What must never change, and every permission, as they are before the repair. */
async function remember(): Promise<void> {
  sensitive = await bed.modes(SENSITIVE)
  expect(sensitive.get('/etc/shadow')).toBe('640 0:42')
  expect([...sensitive.keys()].filter((p) => p.startsWith('/etc/ssh/')).length).toBeGreaterThan(0)
  before = await bed.writes()
}

/** The system's secrets are as they were, and only `expected` changed permissions. */
async function onlyChanged(expected: readonly string[]): Promise<void> {
  expect(await bed.modes(SENSITIVE)).toEqual(sensitive)
  expect(await bed.permissionChangesSince(before)).toEqual([...expected].sort())
}

async function applyOutcome(site: Site, plan: RepairPlan): Promise<unknown> {
  return applyRepair(root, site, { mode: plan.mode, plan }).then(
    (result) => result,
    (error: unknown) => error,
  )
}

async function status(site: Site, path: string): Promise<number> {
  const response = await fetch(`http://${site.mirror.serve.listen}/pypi/${path}`)
  await response.arrayBuffer()
  return response.status
}

describe('a served directory that resolves into a system location', () => {
  it('web → /etc: pip-mirror repair --yes refuses and says why; the doctor lists no /etc file', async () => {
    const site = await mirror({ web: '/etc', layout: false })
    await remember()

    const sitePath = join(bed.work, 'site.json')
    await writeFile(sitePath, JSON.stringify(siteInput(site.mirror.serve.listen)))
    const cli = await runPipMirror([
      'repair',
      '--site',
      sitePath,
      '--yes',
      '--known-hosts',
      bed.knownHosts,
      '--accept-host-key',
      bed.hostKeyFingerprint,
    ])
    await onlyChanged([])
    expect(cli.code, cli.stdout + cli.stderr).not.toBe(0)
    expect(cli.stdout, cli.stderr).toContain(
      `Refused: the served directory ${MIRROR}/web resolves to /etc, and /etc is a system location`,
    )

    const diagnosis = await diagnoseMirror(root, site)
    expect(diagnosis.tree).toBeNull()
    expect(diagnosis.confinement.realWeb).toBe('/etc')
    expect(diagnosis.findings.map((f) => f.cause)).toContain('refused-location')
    expect(JSON.stringify(diagnosis.findings)).not.toMatch(/ssh_host|shadow|sudoers|ssl\/private/)
    for (const mode of ['least', 'seed'] as const) {
      const plan = await planRepair(root, site, { mode })
      expect(plan.refusal).toContain('resolves to /etc, and /etc is a system location')
      expect(plan.actions).toEqual([])
      const outcome = await applyOutcome(site, plan)
      expect(outcome).toBeInstanceOf(EngineError)
      expect(String(outcome)).toContain('The repair refuses to change anything')
    }
    await onlyChanged([])
  })

  it('web → /root: refused, /root stays closed', async () => {
    const site = await mirror({ web: '/root', layout: false })
    await remember()
    const plan = await planRepair(root, site)
    const outcome = await applyOutcome(site, plan)
    await onlyChanged([])
    expect(outcome).toBeInstanceOf(EngineError)
    expect(plan.refusal).toContain(
      `the served directory ${MIRROR}/web resolves to /root, and /root is a system location`,
    )
    expect(plan.actions).toEqual([])
    expect(plan.diagnosis.tree).toBeNull()
    // The doctor still says /root blocks nginx, but never proposes to open it.
    for (const finding of plan.diagnosis.findings) expect(finding.fix ?? '').not.toMatch(/chmod/)
  })
})

describe('links inside the mirror', () => {
  it('a symlink in packages/ to /etc/shadow is reported and left alone; the rest is repaired', async () => {
    const site = await mirror()
    const web = `${MIRROR}/web`
    await bed.sh(
      `set -e; cd "$1"; ln -s /etc/shadow packages/3a/shadow.whl; ln -s /etc/ssh packages/3a/ssh
       chown -h "$2:" packages/3a/shadow.whl packages/3a/ssh; chmod 0600 "$3"`,
      [web, OWNER, ALPHA],
    )
    await remember()
    const plan = await planRepair(root, site)
    const outcome = await applyOutcome(site, plan)
    await onlyChanged([`${web}/${ALPHA}`])
    expect(outcome).not.toBeInstanceOf(Error)
    expect(plan.actions).toEqual([
      expect.objectContaining({
        kind: 'chmod-tree',
        root: web,
        grants: [expect.objectContaining({ grant: 'o+r', count: 1 })],
      }),
    ])
    expect(plan.notes.join('\n')).toContain(`Left alone in ${web}: 2 symlinks (`)
    expect(plan.notes.join('\n')).toContain('packages/3a/shadow.whl → /etc/shadow')
    expect(plan.diagnosis.findings.find((f) => f.cause === 'symlink-outside')?.title).toContain(
      'the repair never follows them',
    )
  })

  it('a wheel swapped for a link to an SSH host key between plan and apply is not followed', async () => {
    const site = await mirror()
    const web = `${MIRROR}/web`
    await bed.sh('chmod 0600 "$1/$2" "$1/$3"', [web, ALPHA, BETA])
    await remember()
    const plan = await planRepair(root, site)
    expect(plan.entries).toBe(2)
    await bed.sh('rm "$1/$2"; ln -s /etc/ssh/ssh_host_ed25519_key "$1/$2"', [web, BETA])
    before = await bed.writes()
    const outcome = await applyOutcome(site, plan)
    await onlyChanged([`${web}/${ALPHA}`])
    // The swapped wheel now points at a key nginx cannot read: the proof over HTTP fails.
    expect(String(outcome)).toContain('The mirror still does not answer')
    expect(await status(site, ALPHA)).toBe(200)
  })

  it('a hard link to root-owned files is reported and never touched', async () => {
    const site = await mirror()
    const web = `${MIRROR}/web`
    const dir = join(web, ALPHA, '..')
    await bed.sh(
      `set -e; ln /etc/shadow "$1/shadow.whl"; ln /etc/ssh/ssh_host_ed25519_key "$1/key.whl"
       chmod 0600 "$2/$3"`,
      [dir, web, BETA],
    )
    await remember()
    const plan = await planRepair(root, site)
    const outcome = await applyOutcome(site, plan)
    await onlyChanged([`${web}/${BETA}`])
    expect(outcome).not.toBeInstanceOf(Error)
    expect(plan.actions).toEqual([
      expect.objectContaining({
        kind: 'chmod-tree',
        grants: [expect.objectContaining({ grant: 'o+r', count: 1, examples: [BETA] })],
      }),
    ])
    const shared = plan.diagnosis.findings.find((f) => f.cause === 'shared-links')
    expect(shared?.title).toContain(
      `2 files in the mirror are hard links owned by someone other than ${OWNER}`,
    )
    expect(plan.notes.join('\n')).toContain(`2 hard links that ${OWNER} does not own`)
  })
})

describe('a mirror on a symlinked data disk', () => {
  it('/srv/pypi/web → /data/pypi-web: repaired there, nothing else touched', async () => {
    const site = await mirror({ web: '/data/pypi-web' })
    const real = '/data/pypi-web'
    const closedDir = join(real, ALPHA, '..')
    await bed.sh(
      `set -e; chmod 0700 /data "$2"; chmod 0600 "$1/last-modified"
       echo secret > "$1/backup.tar"; chmod 0600 "$1/backup.tar"
       mkdir -p /data/other; echo x > /data/other/file; chmod 0700 /data/other`,
      [real, closedDir],
    )
    await remember()
    const plan = await planRepair(root, site)
    const outcome = await applyOutcome(site, plan)
    await onlyChanged(['/data', closedDir, `${real}/last-modified`])
    expect(outcome).not.toBeInstanceOf(Error)
    for (const path of ['simple/', 'simple/alpha/', ALPHA, BETA, 'last-modified'])
      expect(await status(site, path), path).toBe(200)
    expect(plan.scope).toMatchObject({ via: `${MIRROR}/web`, web: real })
    const notes = plan.notes.join('\n')
    expect(notes).toContain(`${MIRROR}/web resolves to ${real}: the repair acts there`)
    expect(notes).toContain(`Left alone in ${real}: 1 foreign entry (backup.tar)`)
    expect(
      plan.actions.map((a) =>
        a.kind === 'chmod-path' ? `${a.kind} ${a.path} ${a.grant}` : a.kind,
      ),
    ).toEqual(['chmod-path /data o+x', 'chmod-tree'])
    expect((await planRepair(root, site)).actions).toEqual([])
  })
})

describe('the seed fix, chosen explicitly', () => {
  it('gives web/ to nginx and keeps the sync wrapper, the config and the log from it', async () => {
    const site = await mirror()
    await remember()
    const kept = [
      `${MIRROR}/bandersnatch.conf`,
      `${MIRROR}/status`,
      `${MIRROR}/.pip-mirror`,
      `${MIRROR}/.pip-mirror/sync-wrapper.sh`,
      `${MIRROR}/.pip-mirror/sync.log`,
    ]
    const keptBefore = await bed.modes(kept)
    const plan = await planRepair(root, site, { mode: 'seed' })
    const outcome = await applyOutcome(site, plan)
    expect(await bed.modes(SENSITIVE)).toEqual(sensitive)
    expect(await bed.modes(kept)).toEqual(keptBefore)
    expect(outcome).not.toBeInstanceOf(Error)
    const served = await bed.sh('find "$1" -printf "%u %m\\n" | sort -u', [`${MIRROR}/web/`])
    expect(served.trim()).toBe('www-data 755')
    expect(plan.actions.map((a) => a.kind)).toEqual(['seed'])
    expect(plan.notes[0]).toContain(`stay ${OWNER}'s`)
    expect(plan.notes[0]).toContain('could rewrite the wrapper that the schedule runs as')
  })
})
