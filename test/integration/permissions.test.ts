import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  chmod,
  chown,
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rm,
  stat,
  symlink,
} from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { nginxSiteName, renderNginxSite } from '../../src-main/engine/config/nginx-site'
import { applyRepair, diagnoseMirror, planRepair } from '../../src-main/engine/permissions'
import type { MirrorDiagnosis, RepairPlan } from '../../src-main/engine/permissions'
import { traverseArgv } from '../../src-main/engine/permissions/confined-repair'
import { runSteps } from '../../src-main/engine/run'
import { parseSite, type Site } from '#shared/site'
import { RemoteHost } from '../../src-main/engine/ssh/remote-host'
import { permissionsStep } from '../../src-main/engine/steps/permissions'
import { freePort } from '../testbed/processes'
import {
  MIRROR_OWNER,
  MIRROR_WHEELS,
  STRANGER,
  ensureAccount,
  layOutMirror,
  ownershipAndModes,
} from '../testbed/mirror-tree'
import { makeClientKey, startSshd, type TestSshd } from '../testbed/sshd'
import {
  SITES_AVAILABLE,
  SITES_ENABLED,
  installSite,
  reloadSystemNginx,
  removeProductSite,
  statusOnceListening,
} from '../testbed/system-nginx'
import { ensureTestUsers, SUDOER } from '../testbed/users'

/**
 * The permission doctor and repair against the machine's real nginx (shared with other tests:
 * only this file's own sites are added and removed) and real files, over the test bed's sshd.
 * Each case breaks a served mirror one way, shows the doctor naming the cause and the URL
 * answering 403 (404 for the alias), repairs, and shows 200, unchanged ownership and an empty
 * second plan.
 */

let sshd: TestSshd
let work: string
let root: RemoteHost
let sudoer: RemoteHost
let owner: { uid: number; gid: number }
let stranger: { uid: number; gid: number }
let ownerHome: string
let homeBase: string
let srvBase: string
const siteNames: string[] = []
let caseNumber = 0

beforeAll(async () => {
  await ensureTestUsers()
  owner = await ensureAccount(MIRROR_OWNER)
  stranger = await ensureAccount(STRANGER)
  ownerHome = `/home/${MIRROR_OWNER}`
  await chmod(ownerHome, 0o755)
  homeBase = await mkdtemp(join(ownerHome, 'pmw-perm-'))
  await chown(homeBase, owner.uid, owner.gid)
  await chmod(homeBase, 0o755)
  srvBase = await mkdtemp('/srv/pmw-perm-')
  await chmod(srvBase, 0o755)

  sshd = await startSshd()
  work = await mkdtemp(join(tmpdir(), 'pmw-perm-ssh-'))
  await chmod(work, 0o755)
  const key = await makeClientKey(work, 'root_key')
  await sshd.authorize('root', key)
  const trust = {
    knownHostsPath: join(work, 'known_hosts'),
    acceptFingerprint: sshd.hostKeyFingerprint,
  }
  root = await RemoteHost.connect(
    { host: sshd.host, port: sshd.port, user: 'root', identityFile: key.path },
    { credentials: {}, trust },
  )
  sudoer = await RemoteHost.connect(
    { host: sshd.host, port: sshd.port, user: SUDOER.name, auth: 'password' },
    { credentials: { password: SUDOER.password }, trust },
  )
})

afterAll(async () => {
  root?.close()
  sudoer?.close()
  for (const name of siteNames) await removeProductSite(name)
  if (siteNames.length > 0) await reloadSystemNginx()
  if (homeBase) await rm(homeBase, { recursive: true, force: true })
  if (srvBase) await rm(srvBase, { recursive: true, force: true })
  if (ownerHome) await chmod(ownerHome, 0o755)
  await sshd?.stop()
  if (work) await rm(work, { recursive: true, force: true })
})

interface MirrorCase {
  /** The top of what the case created: ownership is compared under it and on its parents. */
  top: string
  dir: string
  web: string
  site: Site
  siteName: string
  /** http://127.0.0.1:<port>/pypi/ */
  base: string
}

/** A fresh bandersnatch-shaped mirror owned by the mirror's owner, served by its own site. */
async function newMirror(
  parent: string,
  options: { aliasWithoutSlash?: boolean; enable?: boolean; makeTop?: boolean } = {},
): Promise<MirrorCase> {
  caseNumber += 1
  const top = join(parent, `case-${caseNumber}`)
  await mkdir(top, { mode: 0o755 })
  await chown(top, owner.uid, owner.gid)
  const dir = join(top, 'mirror')
  await layOutMirror(dir, owner)
  const listen = `127.0.0.1:${await freePort()}`
  let text = renderNginxSite({ listen, location: '/pypi/', webRoot: `${dir}/web/` })
  if (options.aliasWithoutSlash) text = text.replace(`alias ${dir}/web/;`, `alias ${dir}/web;`)
  const siteName = nginxSiteName(listen)
  siteNames.push(siteName)
  await installSite(siteName, text)
  if (options.enable === false) await rm(`${SITES_ENABLED}/${siteName}`)
  await reloadSystemNginx()
  const base = `http://${listen}/pypi/`
  if (options.enable !== false) await statusOnceListening(`${base}simple/`)
  const site = parseSite({
    mirror: {
      ssh: { host: '127.0.0.1', user: 'root' },
      directory: dir,
      requirements: ['alpha==1.0', 'beta==2.0'],
      serve: { listen, location: '/pypi/' },
    },
  })
  return { top, dir, web: `${dir}/web`, site, siteName, base }
}

/** Serves an existing mirror under another path to it (such as a symlink), with its own site. */
async function newMirrorAt(top: string, existing: MirrorCase): Promise<MirrorCase> {
  const dir = join(top, 'mirror')
  const listen = `127.0.0.1:${await freePort()}`
  const siteName = nginxSiteName(listen)
  siteNames.push(siteName)
  await installSite(
    siteName,
    renderNginxSite({ listen, location: '/pypi/', webRoot: `${dir}/web/` }),
  )
  await reloadSystemNginx()
  const base = `http://${listen}/pypi/`
  await statusOnceListening(`${base}simple/`)
  const site = parseSite({
    mirror: { ...existing.site.mirror, directory: dir, serve: { listen, location: '/pypi/' } },
  })
  return { top: existing.top, dir, web: `${dir}/web`, site, siteName, base }
}

async function status(url: string): Promise<number> {
  const response = await fetch(url, { redirect: 'manual' })
  await response.arrayBuffer()
  return response.status
}

/** The URLs pip needs: the simple index, a project page and the wheels. */
function pipUrls(c: MirrorCase): string[] {
  return [
    `${c.base}simple/`,
    `${c.base}simple/alpha/`,
    `${c.base}${MIRROR_WHEELS.alpha}`,
    `${c.base}${MIRROR_WHEELS.beta}`,
  ]
}

function causes(diagnosis: MirrorDiagnosis): string[] {
  return diagnosis.findings.filter((f) => f.severity === 'blocker').map((f) => f.cause)
}

function finding(diagnosis: MirrorDiagnosis, cause: string) {
  const found = diagnosis.findings.find((f) => f.cause === cause)
  expect(
    found,
    `a ${cause} finding among ${JSON.stringify(diagnosis.findings, null, 1)}`,
  ).toBeDefined()
  return found as NonNullable<typeof found>
}

function owners(snapshot: Map<string, string>): Map<string, string> {
  return new Map([...snapshot].map(([path, value]) => [path, value.split(' ')[0] as string]))
}

function modeOf(snapshot: Map<string, string>, path: string): string {
  return (snapshot.get(path) ?? '').split(' ')[1] ?? ''
}

/**
 * Repairs with the least change and proves it: every pip URL answers 200, no entry changed
 * owner, only the planned entries changed mode, and a second plan is empty.
 */
async function repairAndProve(
  host: RemoteHost,
  c: MirrorCase,
  plan: RepairPlan,
): Promise<{ before: Map<string, string>; after: Map<string, string> }> {
  const before = await ownershipAndModes(c.top)
  const result = await applyRepair(host, c.site, { mode: 'least', plan })
  expect(result.changed).toBe(true)
  expect(
    result.http.every((probe) => probe.status === 200),
    JSON.stringify(result.http),
  ).toBe(true)
  for (const url of pipUrls(c)) expect(await status(url), url).toBe(200)
  const after = await ownershipAndModes(c.top)
  expect(owners(after)).toEqual(owners(before))
  const again = await planRepair(host, c.site, { mode: 'least' })
  expect(again.actions).toEqual([])
  expect(again.changes).toEqual([])
  expect(again.diagnosis.healthy).toBe(true)
  return { before, after }
}

/** Paths whose mode changed between two snapshots. */
function modeChanges(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after.keys()].filter((path) => modeOf(before, path) !== modeOf(after, path)).sort()
}

describe('a mirror under a home directory', () => {
  it('at 0750: names the home directory, opens it with o+x only', async () => {
    const c = await newMirror(homeBase)
    await chmod(ownerHome, 0o750)
    for (const url of pipUrls(c)) expect(await status(url), url).toBe(403)

    const diagnosis = await diagnoseMirror(root, c.site)
    expect(diagnosis.nginx.user?.name).toBe('www-data')
    expect(diagnosis.nginx.user?.source).toBe('worker process')
    expect(causes(diagnosis)).toEqual(['path-blocked'])
    expect(diagnosis.path?.firstBlocker?.component).toMatchObject({
      path: ownerHome,
      owner: MIRROR_OWNER,
      group: MIRROR_OWNER,
      mode: 0o750,
    })
    const blocked = finding(diagnosis, 'path-blocked')
    expect(blocked.title).toContain(
      `${ownerHome} (${MIRROR_OWNER}:${MIRROR_OWNER} 0750 drwxr-x---)`,
    )
    expect(blocked.evidence).toContain('neither its owner pmw-mirror-owner nor in its group')
    expect(blocked.evidence).toContain(`GET ${c.base}simple/ → 403`)
    expect(blocked.fix).toContain(`chmod o+x ${ownerHome} (0750 → 0751)`)

    const plan = await planRepair(root, c.site, { mode: 'least' })
    expect(plan.actions).toEqual([
      expect.objectContaining({ kind: 'chmod-path', path: ownerHome, grant: 'o+x', after: 0o751 }),
    ])
    expect(plan.entries).toBe(1)
    expect(plan.scope).toEqual({ mirror: c.dir, via: c.web, web: c.web, owner: owner.uid })
    expect(plan.changes.map((change) => change.kind === 'command' && change.argv)).toEqual([
      traverseArgv({ mirror: c.dir, via: c.web, web: c.web, owner: owner.uid }, 'o+x', ownerHome),
    ])

    const { before, after } = await repairAndProve(root, c, plan)
    expect(modeChanges(before, after)).toEqual([ownerHome])
    expect(modeOf(after, ownerHome)).toBe('0751')
  })

  it('at 0700: o+x makes it 0701', async () => {
    const c = await newMirror(homeBase)
    await chmod(ownerHome, 0o700)
    expect(await status(`${c.base}simple/`)).toBe(403)
    const diagnosis = await diagnoseMirror(root, c.site)
    expect(causes(diagnosis)).toEqual(['path-blocked'])
    expect(finding(diagnosis, 'path-blocked').title).toContain(
      `${ownerHome} (${MIRROR_OWNER}:${MIRROR_OWNER} 0700 drwx------)`,
    )
    const plan = await planRepair(root, c.site)
    expect(plan.actions).toEqual([
      expect.objectContaining({ kind: 'chmod-path', path: ownerHome, before: 0o700, after: 0o701 }),
    ])
    const { before, after } = await repairAndProve(root, c, plan)
    expect(modeChanges(before, after)).toEqual([ownerHome])
    expect(modeOf(after, ownerHome)).toBe('0701')
  })
  it('reached through a symlink: the real path is walked, and its closed home is named', async () => {
    const real = await newMirror(homeBase)
    const link = join(srvBase, `link-${caseNumber}`)
    await symlink(real.top, link)
    const c = await newMirrorAt(link, real)
    await chmod(ownerHome, 0o750)
    expect(await status(`${c.base}simple/`)).toBe(403)
    const diagnosis = await diagnoseMirror(root, c.site)
    expect(causes(diagnosis)).toEqual(['path-blocked'])
    expect(diagnosis.path?.canonicalRoot).toBe(real.web)
    expect(diagnosis.path?.verdicts.map((v) => v.component.path)).toContain(link)
    expect(diagnosis.path?.firstBlocker?.component.path).toBe(ownerHome)
    expect(diagnosis.tree?.root).toBe(real.web)
    const plan = await planRepair(root, c.site)
    expect(plan.actions).toEqual([expect.objectContaining({ kind: 'chmod-path', path: ownerHome })])
    await repairAndProve(root, c, plan)
    expect((await lstat(link)).isSymbolicLink()).toBe(true)
  })
})

describe('a parent directory at 0700 owned by another user', () => {
  it('names it and its owner, and opens it with o+x', async () => {
    const team = join(srvBase, `team-${caseNumber + 1}`)
    await mkdir(team)
    await chown(team, stranger.uid, stranger.gid)
    const c = await newMirror(team)
    await chmod(team, 0o700)
    for (const url of pipUrls(c)) expect(await status(url), url).toBe(403)

    const diagnosis = await diagnoseMirror(root, c.site)
    expect(causes(diagnosis)).toEqual(['path-blocked'])
    expect(diagnosis.path?.firstBlocker?.component).toMatchObject({
      path: team,
      owner: STRANGER,
      mode: 0o700,
    })
    expect(finding(diagnosis, 'path-blocked').title).toContain(
      `${team} (${STRANGER}:${STRANGER} 0700`,
    )
    const plan = await planRepair(root, c.site)
    expect(plan.actions).toEqual([
      expect.objectContaining({ kind: 'chmod-path', path: team, grant: 'o+x' }),
    ])
    const { before, after } = await repairAndProve(root, c, plan)
    expect(modeChanges(before, after)).toEqual([team])
    expect((await stat(team)).uid).toBe(stranger.uid)
  })
})

describe('inside the served tree', () => {
  it('files at 0600: counts them, gives examples, adds o+r to those files only', async () => {
    const c = await newMirror(srvBase)
    const files = (await readdir(c.dir, { recursive: true })).map((path) => join(c.dir, path))
    for (const file of files) if ((await lstat(file)).isFile()) await chmod(file, 0o600)
    for (const url of pipUrls(c)) expect(await status(url), url).toBe(403)

    const diagnosis = await diagnoseMirror(root, c.site)
    expect(causes(diagnosis)).toEqual(['files-unreadable'])
    const unreadable = finding(diagnosis, 'files-unreadable')
    expect(unreadable.title).toBe('7 files in the mirror cannot be read by www-data')
    expect(unreadable.evidence).toContain(`(${MIRROR_OWNER}:${MIRROR_OWNER} 0600 -rw-------)`)
    expect(unreadable.evidence).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/pypi\/\S+ → 403/)
    expect(diagnosis.tree?.wrong[0]?.examples.length).toBe(5)

    const plan = await planRepair(root, c.site)
    expect(plan.actions).toHaveLength(1)
    expect(plan.actions[0]).toMatchObject({
      kind: 'chmod-tree',
      root: c.web,
      grants: [expect.objectContaining({ type: 'file', grant: 'o+r', count: 7 })],
    })
    expect(plan.entries).toBe(7)
    const { before, after } = await repairAndProve(root, c, plan)
    const changed = modeChanges(before, after)
    expect(changed).toHaveLength(7)
    expect(changed.every((path) => path.startsWith(`${c.web}/`))).toBe(true)
    for (const path of changed) expect(modeOf(after, path)).toBe('0604')
    // What is not served (the config, the status file) stays closed.
    expect(modeOf(after, join(c.dir, 'bandersnatch.conf'))).toBe('0600')
  })

  it('a deep directory at 0700: names it, adds o+rx to it alone', async () => {
    const c = await newMirror(srvBase)
    const hashDir = join(c.web, MIRROR_WHEELS.alpha.split('/').slice(0, -1).join('/'))
    await chmod(hashDir, 0o700)
    expect(await status(`${c.base}${MIRROR_WHEELS.alpha}`)).toBe(403)
    expect(await status(`${c.base}${MIRROR_WHEELS.beta}`)).toBe(200)

    const diagnosis = await diagnoseMirror(root, c.site)
    expect(causes(diagnosis)).toEqual(['directories-closed'])
    const closed = finding(diagnosis, 'directories-closed')
    expect(closed.title).toBe('1 directory in the mirror cannot be listed and entered by www-data')
    expect(closed.evidence).toContain(
      `${hashDir.slice(c.web.length + 1)} (${MIRROR_OWNER}:${MIRROR_OWNER} 0700 drwx------)`,
    )
    expect(closed.evidence).toContain(`GET ${c.base}${hashDir.slice(c.web.length + 1)}/ → 403`)

    const plan = await planRepair(root, c.site)
    expect(plan.actions).toEqual([
      expect.objectContaining({
        kind: 'chmod-tree',
        grants: [expect.objectContaining({ type: 'directory', grant: 'o+rx', count: 1 })],
      }),
    ])
    const { before, after } = await repairAndProve(root, c, plan)
    expect(modeChanges(before, after)).toEqual([hashDir])
    expect(modeOf(after, hashDir)).toBe('0705')
  })

  it('a file owned by root at 0640: names root as its owner, adds o+r, root keeps it', async () => {
    const c = await newMirror(srvBase)
    const wheel = join(c.web, MIRROR_WHEELS.beta)
    await chown(wheel, 0, 0)
    await chmod(wheel, 0o640)
    expect(await status(`${c.base}${MIRROR_WHEELS.beta}`)).toBe(403)

    const diagnosis = await diagnoseMirror(root, c.site)
    expect(causes(diagnosis)).toEqual(['files-unreadable'])
    const unreadable = finding(diagnosis, 'files-unreadable')
    expect(unreadable.title).toBe('1 file in the mirror cannot be read by www-data')
    expect(unreadable.evidence).toContain(`${MIRROR_WHEELS.beta} (root:root 0640 -rw-r-----)`)
    expect(unreadable.evidence).toContain(`GET ${c.base}${MIRROR_WHEELS.beta} → 403`)

    const plan = await planRepair(root, c.site)
    expect(plan.entries).toBe(1)
    const { before, after } = await repairAndProve(root, c, plan)
    expect(modeChanges(before, after)).toEqual([wheel])
    expect(after.get(wheel)).toBe('0:0 0644')
  })
})

describe('the nginx site', () => {
  it('an alias without its trailing slash: 404, fixed in the site file with a backup and nginx -t', async () => {
    const c = await newMirror(srvBase, { aliasWithoutSlash: true })
    expect(await status(`${c.base}simple/`)).toBe(404)
    expect(await status(`${c.base}${MIRROR_WHEELS.alpha}`)).toBe(404)
    const sitePath = `${SITES_AVAILABLE}/${c.siteName}`
    const brokenText = await readFile(sitePath, 'utf8')

    const diagnosis = await diagnoseMirror(root, c.site)
    expect(causes(diagnosis)).toEqual(['alias-slash'])
    const alias = finding(diagnosis, 'alias-slash')
    expect(alias.evidence).toContain(`location /pypi/ { alias ${c.web}; }`)
    expect(alias.evidence).toContain(`/pypi/simple/ maps to ${c.web}simple/`)
    expect(alias.evidence).toContain(`GET ${c.base}simple/ → 404`)

    const plan = await planRepair(root, c.site)
    expect(plan.actions.map((action) => action.kind)).toEqual(['edit-site', 'nginx'])
    const edit = plan.changes.find((change) => change.kind === 'file')
    expect(edit?.kind === 'file' && edit.diff).toContain(
      `-        alias ${c.web};\n+        alias ${c.web}/;`,
    )

    const before = await ownershipAndModes(c.top)
    const result = await applyRepair(root, c.site, { mode: 'least', plan })
    expect(result.http.every((probe) => probe.status === 200)).toBe(true)
    for (const url of pipUrls(c)) expect(await status(url), url).toBe(200)
    expect(await readFile(sitePath, 'utf8')).toBe(
      brokenText.replace(`alias ${c.web};`, `alias ${c.web}/;`),
    )
    const backups = (await readdir(SITES_AVAILABLE)).filter((f) =>
      f.startsWith(`${c.siteName}.pmw-backup-`),
    )
    expect(backups).toHaveLength(1)
    expect(await readFile(join(SITES_AVAILABLE, backups[0] as string), 'utf8')).toBe(brokenText)
    expect(owners(await ownershipAndModes(c.top))).toEqual(owners(before))
    expect((await planRepair(root, c.site)).actions).toEqual([])
  })

  it('a site not enabled, and a symlink leading out of the mirror: both reported; enabling fixes the first', async () => {
    const c = await newMirror(srvBase, { enable: false })
    await symlink('/etc', join(c.web, 'simple', 'etc-link'))
    const diagnosis = await diagnoseMirror(root, c.site)
    expect(causes(diagnosis)).toEqual(['site-not-enabled'])
    expect(finding(diagnosis, 'site-not-enabled').evidence).toContain(
      `${SITES_ENABLED}/${c.siteName} does not exist`,
    )
    const link = finding(diagnosis, 'symlink-outside')
    expect(link.severity).toBe('warning')
    expect(link.evidence).toBe('simple/etc-link → /etc')
    expect(diagnosis.nginxSite.listening).toBe(false)

    const plan = await planRepair(root, c.site)
    expect(plan.actions.map((action) => action.kind)).toEqual(['enable-site', 'nginx'])
    await applyRepair(root, c.site, { mode: 'least', plan })
    expect((await lstat(`${SITES_ENABLED}/${c.siteName}`)).isSymbolicLink()).toBe(true)
    for (const url of pipUrls(c)) expect(await status(url), url).toBe(200)
    const again = await planRepair(root, c.site)
    expect(again.actions).toEqual([])
    expect(again.diagnosis.findings.map((f) => f.cause)).toContain('symlink-outside')
  })
})

describe('everything at once, as a sudoer who types a password', () => {
  it('names every cause, and one repair brings all of it back to 200 with owners unchanged', async () => {
    const c = await newMirror(homeBase, { aliasWithoutSlash: true })
    await chmod(ownerHome, 0o750)
    const hashDir = join(c.web, MIRROR_WHEELS.alpha.split('/').slice(0, -1).join('/'))
    await chmod(hashDir, 0o700)
    await chmod(join(c.web, 'simple/alpha/index.html'), 0o600)
    const wheel = join(c.web, MIRROR_WHEELS.beta)
    await chown(wheel, 0, 0)
    await chmod(wheel, 0o640)
    // The closed home answers first (403) where the path reaches it; the alias alone gives 404.
    for (const url of pipUrls(c)) expect([403, 404], url).toContain(await status(url))

    const diagnosis = await diagnoseMirror(sudoer, c.site)
    expect(causes(diagnosis).sort()).toEqual(
      ['alias-slash', 'directories-closed', 'files-unreadable', 'path-blocked'].sort(),
    )
    expect(diagnosis.path?.firstBlocker?.component.path).toBe(ownerHome)
    expect(finding(diagnosis, 'files-unreadable').title).toContain('2 files')
    expect(finding(diagnosis, 'files-unreadable').evidence).toContain('root:root 0640')
    expect(finding(diagnosis, 'directories-closed').title).toContain('1 directory')

    const plan = await planRepair(sudoer, c.site)
    expect(plan.actions.map((action) => action.kind)).toEqual([
      'chmod-path',
      'chmod-tree',
      'edit-site',
      'nginx',
    ])
    expect(plan.entries).toBe(1 + 2 + 1)
    expect(plan.changes.every((change) => change.kind !== 'command' || change.sudo)).toBe(true)
    const { before, after } = await repairAndProve(sudoer, c, plan)
    expect(modeChanges(before, after)).toEqual(
      [ownerHome, hashDir, join(c.web, 'simple/alpha/index.html'), wheel].sort(),
    )
  })
})

describe('the seed fix, chosen explicitly', () => {
  it('explains itself, and gives web/ (only) to www-data: mode 0755 on every entry there', async () => {
    const c = await newMirror(homeBase)
    await chmod(ownerHome, 0o750)
    await chmod(join(c.web, MIRROR_WHEELS.alpha), 0o600)
    const entries = (await readdir(c.web, { recursive: true })).length + 1
    const plan = await planRepair(root, c.site, { mode: 'seed' })
    expect(plan.actions.map((action) => action.kind)).toEqual(['chmod-path', 'seed'])
    expect(plan.entries).toBe(1 + entries)
    expect(plan.notes[0]).toContain(
      `mode 0755 and owner www-data on every file and directory of bandersnatch's layout in ${c.web}`,
    )
    expect(plan.notes[0]).toContain(`bandersnatch, running as ${MIRROR_OWNER}, can no longer write`)
    const before = await ownershipAndModes(c.dir)
    const result = await applyRepair(root, c.site, { mode: 'seed', plan })
    expect(result.http.every((probe) => probe.status === 200)).toBe(true)
    const after = await ownershipAndModes(c.dir)
    const inside = [...after].filter(([path]) => path === c.web || path.startsWith(`${c.web}/`))
    expect(inside).toHaveLength(entries)
    expect(inside.every(([, value]) => value === '33:33 0755')).toBe(true)
    const outside = [...after].filter(([path]) => !inside.some(([p]) => p === path))
    for (const [path, value] of outside)
      if (path !== ownerHome) expect(value, path).toBe(before.get(path))
  })
})

describe('the permissions step', () => {
  it('plans, applies and verifies through the runner; a second run changes nothing', async () => {
    const c = await newMirror(srvBase)
    await chmod(join(c.web, MIRROR_WHEELS.alpha), 0o600)
    await chmod(join(c.web, 'simple'), 0o700)
    const step = permissionsStep()
    const first = await runSteps([step], root, c.site, { mode: 'apply' }, () => undefined)
    expect(first.status).toBe('changed')
    expect(first.steps[0]).toMatchObject({ status: 'changed', changes: 1 })
    for (const url of pipUrls(c)) expect(await status(url), url).toBe(200)
    const second = await runSteps([step], root, c.site, { mode: 'apply' }, () => undefined)
    expect(second.status).toBe('ok')
    expect(second.steps[0]).toMatchObject({ status: 'ok', changes: 0 })
  })
})
