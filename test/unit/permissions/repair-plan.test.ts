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
import { safeChmodArgv } from '../../../src-main/engine/permissions/safe-chmod'
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

function diagnosis(options: {
  homeMode: number
  scan: string
  aliasWithSlash?: boolean
  status?: number
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
    baseUrl: BASE,
    nginx: {
      running: true,
      masterPid: 10,
      pidFile: '/run/nginx.pid',
      userName: 'www-data',
      user: WWW,
    },
    path: analyzePathWalk({ literal, canonical: [], servedRoot: WEB, canonicalRoot: null }, WWW),
    tree: parseTreeScan(options.scan, WEB, treeBranches(WWW)),
    nginxSite: site(options.aliasWithSlash ?? true),
    selinux: { present: false, mode: null, context: null, wrongCount: 0, example: null },
    http: [{ url: `${BASE}simple/`, what: 'the simple index', status: options.status ?? 200 }],
  }
  const findings = diagnosisFindings(facts)
  return { ...facts, findings, healthy: !findings.some((f) => f.severity === 'blocker') }
}

const BROKEN_TREE = [
  'example\tfile:others\t600\t1000\t1000\tops\tops\tpackages/ab/cd/h/a.whl',
  'example\tdirectory:others\t700\t1000\t1000\tops\tops\tpackages/ef',
  'count\tfile:others\t12',
  'count\tdirectory:others\t1',
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
    expect(plan.changes[0]).toMatchObject({ argv: safeChmodArgv('o+x', ['/home/ops']), sudo: true })
    expect(plan.changes[0]?.summary).toContain('(ops:ops 0750 → 0751)')
    const tree = plan.changes[1]
    expect(tree?.kind === 'command' && tree.argv.slice(0, 4)).toEqual([
      'find',
      WEB,
      '-mindepth',
      '1',
    ])
    expect(tree?.kind === 'command' && tree.argv.filter((a) => a === '-exec')).toHaveLength(2)
    expect(tree?.kind === 'command' && tree.argv.join(' ')).not.toContain('chown')
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
  it('is the seed procedure on the whole mirror, plus the parents it would miss, explained', () => {
    const plan = buildRepairPlan(diagnosis({ homeMode: 0o750, scan: BROKEN_TREE }), {
      mode: 'seed',
      mirrorEntries: 220_000,
    })
    expect(plan.changes.map((c) => c.kind === 'command' && c.argv.join(' '))).toEqual([
      safeChmodArgv('o+x', ['/home/ops']).join(' '),
      `chmod -R 755 ${MIRROR}`,
      `chown -R www-data: ${MIRROR}`,
    ])
    expect(plan.entries).toBe(1 + 220_000)
    expect(plan.notes[0]).toContain('all 220000 entries')
    expect(plan.notes[0]).toContain('bandersnatch, running as ops, can no longer write')
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
