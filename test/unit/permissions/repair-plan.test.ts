import { describe, expect, it } from 'vitest'
import { renderNginxSite } from '../../../src-main/engine/config/nginx-site'
import type {
  DiagnosisFacts,
  MirrorDiagnosis,
} from '../../../src-main/engine/permissions/diagnosis'
import { diagnosisFindings } from '../../../src-main/engine/permissions/findings'
import { analyzeSiteText } from '../../../src-main/engine/permissions/nginx-site-text'
import type { NginxSiteCheck } from '../../../src-main/engine/permissions/nginx-site-check'
import { analyzePathWalk, type PathComponent } from '../../../src-main/engine/permissions/path-walk'
import {
  seedArgv,
  traverseArgv,
  treeRepairArgv,
} from '../../../src-main/engine/permissions/confined-repair'
import { confine } from '../../../src-main/engine/permissions/confinement'
import { buildRepairPlan } from '../../../src-main/engine/permissions/repair-plan'
import { treeBranches } from '../../../src-main/engine/permissions/tree-predicates'
import { parseTreeScan } from '../../../src-main/engine/permissions/tree-scan'

const WWW = { name: 'www-data', uid: 33, gid: 33, gids: [33], source: 'worker process' as const }
const MIRROR = '/home/ops/mirror'
const WEB = `${MIRROR}/web`
const BASE = 'http://127.0.0.1:8080/pypi/'

function dir(path: string, mode: number, owner = 'root', uid = 0): PathComponent {
  return { path, kind: 'directory', mode, uid, gid: uid, owner, group: owner, inode: path }
}

function site(aliasWithSlash = true): NginxSiteCheck {
  let text = renderNginxSite({ listen: '127.0.0.1:8080', location: '/pypi/', webRoot: `${WEB}/` })
  if (!aliasWithSlash) text = text.replace(`alias ${WEB}/;`, `alias ${WEB};`)
  return {
    availablePath: '/etc/nginx/sites-available/pip-mirror-8080',
    enabledPath: '/etc/nginx/sites-enabled/pip-mirror-8080',
    effectivePath: '/etc/nginx/sites-available/pip-mirror-8080',
    exists: true,
    enabled: 'symlink',
    enabledTarget: '/etc/nginx/sites-available/pip-mirror-8080',
    text,
    analysis: analyzeSiteText(text, { location: '/pypi/', webRoot: WEB }),
    listening: true,
    init: 'other',
  }
}

const SCOPE = { mirror: MIRROR, via: WEB, web: WEB, owner: 1000 }
const HOMES = [{ uid: 1000, user: 'ops', home: '/home/ops' }]

function diagnosis(options: {
  homeMode: number
  scan: string
  aliasWithSlash?: boolean
  status?: number
  realWeb?: string
}): MirrorDiagnosis {
  const literal = [
    dir('/', 0o755),
    dir('/home', 0o755),
    dir('/home/ops', options.homeMode, 'ops', 1000),
    dir(MIRROR, 0o755, 'ops', 1000),
    dir(WEB, 0o755, 'ops', 1000),
  ]
  const facts: DiagnosisFacts = {
    host: 'ops@mirror:22',
    mirrorDir: MIRROR,
    webRoot: WEB,
    confinement: confine({
      mirrorDir: MIRROR,
      realMirrorDir: MIRROR,
      web: WEB,
      realWeb: options.realWeb ?? WEB,
      ownerUid: 1000,
      owner: 'ops',
      homes: HOMES,
    }),
    baseUrl: BASE,
    nginx: {
      running: true,
      masterPid: 10,
      pidFile: '/run/nginx.pid',
      userName: 'www-data',
      user: WWW,
    },
    path: analyzePathWalk({ literal, canonical: [], servedRoot: WEB, canonicalRoot: null }, WWW),
    tree: parseTreeScan(options.scan, options.realWeb ?? WEB, treeBranches(WWW)),
    nginxSite: site(options.aliasWithSlash ?? true),
    selinux: { present: false, mode: null, context: null, wrongCount: 0, example: null },
    http: [{ url: `${BASE}simple/`, what: 'the simple index', status: options.status ?? 200 }],
  }
  const findings = diagnosisFindings(facts)
  return { ...facts, findings, healthy: !findings.some((f) => f.severity === 'blocker') }
}

const BROKEN_TREE = [
  'example\tfile:others\t2049\tf\t600\t1000\t1000\tops\tops\tpackages/ab/cd/h/a.whl',
  'example\tdirectory:others\t2049\td\t700\t1000\t1000\tops\tops\tpackages/ef',
  'count\tfile:others\t12',
  'count\tdirectory:others\t1',
  'count\tok\t200',
  'status\t0',
].join('\n')

describe('buildRepairPlan (least)', () => {
  it('plans nothing for a healthy mirror and says so', () => {
    const plan = buildRepairPlan(diagnosis({ homeMode: 0o755, scan: 'status\t0' }), {
      mode: 'least',
    })
    expect(plan.actions).toEqual([])
    expect(plan.changes).toEqual([])
    expect(plan.entries).toBe(0)
    expect(plan.notes.join('\n')).toContain('Nothing to repair')
  })

  it('opens only the blocking parent and the wrong entries, for the others class, owners kept', () => {
    const plan = buildRepairPlan(diagnosis({ homeMode: 0o750, scan: BROKEN_TREE, status: 403 }), {
      mode: 'least',
    })
    expect(plan.actions.map((a) => a.kind)).toEqual(['chmod-path', 'chmod-tree'])
    expect(plan.entries).toBe(1 + 12 + 1)
    expect(plan.changes[0]).toMatchObject({
      argv: traverseArgv(SCOPE, 'o+x', '/home/ops'),
      sudo: true,
    })
    expect(plan.changes[0]?.summary).toContain('(ops:ops 0750 → 0751)')
    const tree = plan.changes[1]
    expect(tree).toMatchObject({
      argv: treeRepairArgv(SCOPE, WWW, [
        { type: 'file', grant: 'o+r' },
        { type: 'directory', grant: 'o+rx' },
      ]),
      sudo: true,
    })
    expect(tree?.kind === 'command' && tree.argv.slice(4).join(' ')).not.toContain('chown')
    expect(tree?.summary).toContain('o+r on 12 files')
    expect(tree?.summary).toContain('o+rx on 1 directory')
    expect(plan.notes[0]).toContain('owners stay as they are')
    expect(plan.unfixable).toEqual([])
  })

  it('fixes the alias with a diff, nginx -t and a reload', () => {
    const plan = buildRepairPlan(
      diagnosis({ homeMode: 0o755, scan: 'status\t0', aliasWithSlash: false, status: 404 }),
      {
        mode: 'least',
      },
    )
    expect(plan.actions.map((a) => a.kind)).toEqual(['edit-site', 'nginx'])
    expect(
      plan.changes.map((c) =>
        c.kind === 'command' ? c.argv.join(' ') : c.kind === 'file' ? `file ${c.path}` : c.summary,
      ),
    ).toEqual(['file /etc/nginx/sites-available/pip-mirror-8080', 'nginx -t -q', 'nginx -s reload'])
    const diff = plan.changes[0]
    expect(diff?.kind === 'file' && diff.diff).toContain(`+        alias ${WEB}/;`)
  })

  it('names what it cannot repair', () => {
    const d = diagnosis({ homeMode: 0o755, scan: 'status\t0' })
    d.findings.push({
      cause: 'selinux',
      severity: 'blocker',
      title: 'SELinux labels',
      fix: 'restorecon',
    })
    const plan = buildRepairPlan(d, { mode: 'least' })
    expect(plan.unfixable.map((f) => f.cause)).toEqual(['selinux'])
    expect(plan.notes.join('\n')).toContain('Not repaired here: SELinux labels (restorecon)')
  })
})

describe('buildRepairPlan (seed)', () => {
  it("is the seed's mode and owner on web/'s layout only, plus x on the parents, explained", () => {
    const plan = buildRepairPlan(diagnosis({ homeMode: 0o750, scan: BROKEN_TREE }), {
      mode: 'seed',
    })
    expect(plan.changes.map((c) => c.kind === 'command' && c.argv)).toEqual([
      traverseArgv(SCOPE, 'o+x', '/home/ops'),
      seedArgv(SCOPE, '0755', { uid: 33, gid: 33 }),
    ])
    expect(plan.entries).toBe(1 + 12 + 1 + 200 + 1)
    expect(plan.notes[0]).toContain(
      `mode 0755 and owner www-data on every file and directory of bandersnatch's layout in ${WEB}`,
    )
    expect(plan.notes[0]).toContain(
      "the sync wrapper, bandersnatch.conf, the requirements and the logs in /home/ops/mirror stay ops's",
    )
    expect(plan.notes[0]).toContain('could rewrite the wrapper that the schedule runs as ops')
    expect(plan.notes[0]).toContain('bandersnatch, running as ops, can no longer write')
  })
})

describe('buildRepairPlan (confined)', () => {
  it('refuses everything when web/ resolves into a system location, and says why', () => {
    const d = diagnosis({ homeMode: 0o750, scan: BROKEN_TREE, realWeb: '/etc', status: 403 })
    for (const mode of ['least', 'seed'] as const) {
      const plan = buildRepairPlan(d, { mode })
      expect(plan.actions).toEqual([])
      expect(plan.changes).toEqual([])
      expect(plan.refusal).toBe(
        `the served directory ${WEB} resolves to /etc, and /etc is a system location`,
      )
      expect(plan.notes[0]).toContain('Refused: ')
      expect(plan.unfixable.map((f) => f.cause)).toContain('refused-location')
    }
  })

  it('acts on the real path of a web/ on a data disk, and lists what it leaves alone', () => {
    const tree = [
      BROKEN_TREE,
      'example\tforeign\t2049\tf\t600\t0\t0\troot\troot\tbackup.tar',
      'count\tforeign\t1',
      'example\tshared\t2049\tf\t640\t0\t42\troot\tshadow\tpackages/x.whl',
      'count\tshared\t1',
    ].join('\n')
    const d = diagnosis({ homeMode: 0o755, scan: tree, realWeb: '/data/pypi-web', status: 403 })
    const plan = buildRepairPlan(d, { mode: 'least' })
    expect(plan.scope).toEqual({ ...SCOPE, web: '/data/pypi-web' })
    expect(plan.actions).toEqual([
      expect.objectContaining({ kind: 'chmod-tree', root: '/data/pypi-web' }),
    ])
    const notes = plan.notes.join('\n')
    expect(notes).toContain(`${WEB} resolves to /data/pypi-web: the repair acts there`)
    expect(notes).toContain('Left alone in /data/pypi-web: 1 foreign entry (backup.tar)')
    expect(notes).toContain("1 hard link that ops does not own (packages/x.whl, root's)")
    expect(d.findings.map((f) => f.cause)).toEqual(
      expect.arrayContaining(['served-elsewhere', 'foreign-entries', 'shared-links']),
    )
  })

  it("never plans a chmod of another person's home on the way", () => {
    const d = diagnosis({ homeMode: 0o750, scan: 'status\t0', status: 403 })
    d.confinement = { ...d.confinement, ownerUid: 1001 }
    const plan = buildRepairPlan(d, { mode: 'least' })
    expect(plan.actions).toEqual([])
    expect(plan.unfixable.map((f) => f.cause)).toEqual(['path-blocked'])
  })
})

describe('diagnosisFindings', () => {
  it('names the first blocking component with owner, group, mode and the failing URL', () => {
    const d = diagnosis({ homeMode: 0o750, scan: BROKEN_TREE, status: 403 })
    const blocked = d.findings.find((f) => f.cause === 'path-blocked')
    expect(blocked?.title).toBe(
      'www-data cannot pass through /home/ops (ops:ops 0750 drwxr-x---): it first blocks the way to the mirror',
    )
    expect(blocked?.evidence).toContain(`GET ${BASE}simple/ → 403`)
    const files = d.findings.find((f) => f.cause === 'files-unreadable')
    expect(files?.title).toBe('12 files in the mirror cannot be read by www-data')
    expect(files?.evidence).toContain('packages/ab/cd/h/a.whl (ops:ops 0600 -rw-------)')
  })

  it('says the mirror is fine when nothing blocks and the URLs answer 200', () => {
    const d = diagnosis({ homeMode: 0o755, scan: 'status\t0' })
    expect(d.findings.map((f) => f.cause)).toEqual(['healthy'])
  })
})
