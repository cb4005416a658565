import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { HistoryStore } from '../../src-main/app-data/history-store'
import { ensureTestUsers, SUDOER } from '../testbed/users'
import { sudoerSiteFile, SUDOER_ENV } from '../testbed/bed-logins'
import { ensureCliBuilt, jsonLines, runPipMirror } from '../testbed/cli'
import { startMirrorHostBed, type MirrorHostBed } from '../testbed/mirror-host'
import { execFileAsync, sh, waitFor } from '../testbed/processes'
import { STANDIN_OUTSIDER, startPypiStandin } from '../testbed/pypi-standin'
import { startLatencyProxy } from '../testbed/latency-proxy'

/**
 * The mirror end to end through the real `pip-mirror` command: real sshd, real bandersnatch
 * (installed by the product in its venv), real uv, real nginx, real pip. Only pypi.org is a
 * stand-in (test/standins/pypi), because there is no internet here.
 */
let bed: MirrorHostBed
let site: Awaited<ReturnType<MirrorHostBed['newSite']>>
let acceptKey: string[]

beforeAll(async () => {
  await ensureTestUsers()
  await ensureCliBuilt()
  bed = await startMirrorHostBed()
  site = await bed.newSite()
  acceptKey = ['--known-hosts', bed.knownHosts, '--accept-host-key', bed.sshd.hostKeyFingerprint]
})

afterAll(async () => {
  await bed?.stop()
})

/** Logins and sessions (a command or SFTP each) the test sshd has seen, from its VERBOSE log. */
async function sshdCounts(): Promise<{ logins: number; sessions: number }> {
  const lines = (await readFile(bed.sshd.logPath, 'utf8')).split('\n')
  return {
    logins: lines.filter((line) => line.startsWith('Accepted publickey for ')).length,
    sessions: lines.filter((line) => line.startsWith('Starting session: ')).length,
  }
}

const mirrorIndex = (): string => `http://127.0.0.1:${site.port}/pypi/simple`

/** pip in its own process, as a worker would run it, with no pip.conf of this machine. */
async function pipInstall(spec: string): Promise<{ ok: boolean; output: string }> {
  const target = await mkdtemp(join(tmpdir(), 'pmw-pip-'))
  try {
    const { stdout, stderr } = await execFileAsync(
      '/usr/bin/python3',
      [
        '-m',
        'pip',
        'install',
        '--no-deps',
        '--disable-pip-version-check',
        '--no-cache-dir',
        '-t',
        target,
        '--index-url',
        mirrorIndex(),
        spec,
      ],
      { env: { PATH: process.env.PATH, PIP_CONFIG_FILE: '/dev/null', HOME: target } },
    )
    return { ok: true, output: stdout + stderr }
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string }
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` }
  }
}

describe('pip-mirror on a fresh host', () => {
  it('refuses an unknown host key on first contact and prints its fingerprint', async () => {
    const result = await runPipMirror([
      'plan',
      '--site',
      site.path,
      '--known-hosts',
      join(bed.work, 'empty_known_hosts'),
    ])
    expect(result.code).toBe(3)
    expect(result.stderr).toContain(bed.sshd.hostKeyFingerprint)
    expect(result.stderr).toContain('--accept-host-key')
  })

  it('rejects invalid input naming the field, before touching any host', async () => {
    const bad = join(bed.work, 'bad.json')
    await writeFile(
      bad,
      JSON.stringify({
        mirror: {
          ssh: { host: bed.sshd.host, port: bed.sshd.port, user: 'root' },
          requirements: ['ok==1', 'bad name!'],
          serve: { listen: '300.1.1.1:80' },
        },
      }),
    )
    const result = await runPipMirror(['plan', '--site', bad, ...acceptKey])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/mirror\.requirements\.1: /)
    expect(result.stderr).toMatch(/mirror\.serve\.listen: /)
    expect(
      await sh('grep', ['-c', 'Accepted publickey', bed.sshd.logPath]).catch(() => '0'),
    ).toMatch(/^0/)
  })

  it('plans every change as commands and diffs, and touches nothing', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'pmw-cli-data-'))
    const result = await runPipMirror([
      'plan',
      '--site',
      site.path,
      '--data-dir',
      dataDir,
      '--no-history',
      ...acceptKey,
    ])
    expect(result.code, result.stderr).toBe(0)
    expect(await readdir(dataDir)).toEqual([])
    expect(result.stdout).toContain(`+++ b${site.directory}/requirements/requirements.in`)
    expect(result.stdout).toContain('+++ b/etc/nginx/sites-available/pip-mirror-')
    expect(result.stdout).toMatch(/\$ [\s\S]*venv\/bin\/bandersnatch/)
    expect(result.stdout).toMatch(/change\(s\) would be made/)
    expect(existsSync(site.directory)).toBe(false)
    expect(existsSync(`/etc/nginx/sites-enabled/pip-mirror-${site.port}`)).toBe(false)
  })

  it('apply builds a verified mirror of the resolved closure that pip installs from', async () => {
    const result = await runPipMirror(['apply', '--site', site.path, '--yes', ...acceptKey])
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0)
    expect(result.stdout).toContain('verified')
    const pinned = await readFile(`${site.directory}/requirements/requirements.txt`, 'utf8')
    // beta is a dependency of alpha that the input never named: the resolver found it.
    expect(pinned).toMatch(/^alpha==1\.1$/m)
    expect(pinned).toMatch(/^beta==2\.0$/m)
    expect(pinned).toMatch(/^gamma==1\.0 ; python_full_version < '3\.13'$/m)
    const conf = await readFile(`${site.directory}/bandersnatch.conf`, 'utf8')
    expect(conf).toMatch(/project_requirements_pinned/)
    for (const spec of ['alpha==1.1', 'beta==2.0', 'gamma==1.0']) {
      const install = await pipInstall(spec)
      expect(install.ok, install.output).toBe(true)
    }
    const outsider = await pipInstall(`${STANDIN_OUTSIDER}==1.0`)
    expect(outsider.ok).toBe(false)
    expect((await fetch(`${mirrorIndex()}/${STANDIN_OUTSIDER}/`)).status).toBe(404)
    expect(await readdir(`${site.directory}/web/simple`)).not.toContain(STANDIN_OUTSIDER)
    // Only the pinned version was mirrored, and no Windows or macOS wheel.
    const files = (await sh('find', [`${site.directory}/web/packages`, '-type', 'f']))
      .split('\n')
      .filter(Boolean)
    expect(files.some((f) => f.endsWith('alpha-1.0-py3-none-any.whl'))).toBe(false)
    expect(files.some((f) => /win_amd64|macosx/.test(f))).toBe(false)
  })

  it('serves PEP 691 JSON when asked for it', async () => {
    const response = await fetch(`${mirrorIndex()}/alpha/`, {
      headers: { Accept: 'application/vnd.pypi.simple.v1+json' },
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('application/vnd.pypi.simple.v1+json')
    const body = (await response.json()) as { files: { filename: string }[] }
    expect(body.files.map((f) => f.filename)).toContain('alpha-1.1-py3-none-any.whl')
  })

  it('a second apply on the converged host changes nothing and says so', async () => {
    const result = await runPipMirror([
      'apply',
      '--site',
      site.path,
      '--yes',
      '--json',
      ...acceptKey,
    ])
    expect(result.code, result.stderr).toBe(0)
    const summary = jsonLines(result.stdout).find((e) => e.type === 'summary') as {
      status: string
      steps: { status: string; changes: number }[]
    }
    expect(summary.status).toBe('ok')
    expect(summary.steps.every((s) => s.status === 'ok' && s.changes === 0)).toBe(true)
  })

  it('a converged plan reads the host in one command, on one login', async () => {
    const before = await sshdCounts()
    const planned = await runPipMirror(['plan', '--site', site.path, '--json', ...acceptKey])
    expect(planned.code, planned.stderr).toBe(0)
    const summary = jsonLines(planned.stdout).find((e) => e.type === 'plan-summary')
    expect(summary).toMatchObject({ changes: 0, errors: [] })
    const after = await sshdCounts()
    // One batched read (facts, files, links, probes): no second command, no SFTP session.
    expect(after.logins - before.logins).toBe(1)
    expect(after.sessions - before.sessions).toBe(1)
  })

  it('a saved plan runs as saved, and is refused (exit 4, nothing applied) once its host changed', async () => {
    const saved = join(bed.work, 'converged.plan.json')
    const planned = await runPipMirror(['plan', '--site', site.path, '--out', saved, ...acceptKey])
    expect(planned.code, planned.stderr).toBe(0)
    const plan = JSON.parse(await readFile(saved, 'utf8')) as {
      format: string
      mirror: { planned: { changes: unknown[] }[] }
      site: { mirror: { upstream: string } }
    }
    expect(plan.format).toBe('pip-mirror-plan')
    expect(plan.mirror.planned.flatMap((step) => step.changes)).toEqual([])

    // Someone edits bandersnatch.conf after the plan was made: the plan no longer holds.
    const conf = `${site.directory}/bandersnatch.conf`
    const original = await readFile(conf, 'utf8')
    await writeFile(conf, `${original}# edited by hand\n`)
    const refused = await runPipMirror(['apply', '--plan', saved, '--yes', ...acceptKey])
    expect(refused.code, refused.stdout + refused.stderr).toBe(4)
    expect(refused.stderr).toContain(
      'The host changed since the plan was made; nothing was applied',
    )
    expect(refused.stderr).toContain(`file ${conf}: was sha256`)
    expect(await readFile(conf, 'utf8')).toBe(`${original}# edited by hand\n`)

    // A plan file edited by hand is not a plan: refused as invalid input.
    const edited = join(bed.work, 'edited.plan.json')
    plan.site.mirror.upstream = 'http://127.0.0.1:9/'
    await writeFile(edited, JSON.stringify(plan))
    const tampered = await runPipMirror(['apply', '--plan', edited, '--yes', ...acceptKey])
    expect(tampered.code).toBe(2)
    expect(tampered.stderr).toContain('was edited after it was made')

    // A new plan shows the hand edit going away, and applying that plan puts the config back.
    const fresh = join(bed.work, 'fresh.plan.json')
    const replanned = await runPipMirror([
      'plan',
      '--site',
      site.path,
      '--out',
      fresh,
      ...acceptKey,
    ])
    expect(replanned.stdout).toContain('-# edited by hand')
    const applied = await runPipMirror(['apply', '--plan', fresh, '--yes', ...acceptKey])
    expect(applied.code, applied.stdout + applied.stderr).toBe(0)
    expect(await readFile(conf, 'utf8')).toBe(original)
  })

  it('status reports the mirror', async () => {
    const result = await runPipMirror(['status', '--site', site.path, '--json', ...acceptKey])
    expect(result.code, result.stderr).toBe(0)
    const status = JSON.parse(result.stdout) as {
      http: number
      projects: number
      files: number
      serial: number
    }
    expect(status).toMatchObject({ http: 200, projects: 4, files: 4 })
    expect(status.serial).toBeGreaterThan(0)
  })
})

describe('faults', () => {
  it('nginx -t failing restores the previous site and leaves nginx serving it', async () => {
    const siteFile = `/etc/nginx/sites-available/pip-mirror-${site.port}`
    const before = await readFile(siteFile, 'utf8')
    const masterPid = (await readFile('/run/nginx.pid', 'utf8')).trim()
    // An address this host does not have: nginx -t cannot bind it. --from skips the preflight
    // that would refuse it, so the failure really comes from nginx -t.
    const broken = JSON.parse(await readFile(site.path, 'utf8')) as {
      mirror: { serve: { listen: string } }
    }
    broken.mirror.serve.listen = `10.254.254.254:${site.port}`
    const brokenPath = join(bed.work, 'broken-listen.json')
    await writeFile(brokenPath, JSON.stringify(broken))
    const result = await runPipMirror([
      'apply',
      '--site',
      brokenPath,
      '--yes',
      '--from',
      'nginx',
      ...acceptKey,
    ])
    expect(result.code).toBe(1)
    expect(result.stdout + result.stderr).toMatch(
      /nginx -t rejected the configuration; the previous files are back/,
    )
    expect(await readFile(siteFile, 'utf8')).toBe(before)
    expect((await readFile('/run/nginx.pid', 'utf8')).trim()).toBe(masterPid)
    expect((await fetch(`${mirrorIndex()}/alpha/`)).status).toBe(200)
  })

  it('an unreachable upstream is a clear error and leaves no config behind', async () => {
    const closedPort = (await import('../testbed/processes')).freePort
    const dead = await bed.newSite({ upstream: `http://127.0.0.1:${await closedPort()}` })
    const result = await runPipMirror(['apply', '--site', dead.path, '--yes', ...acceptKey])
    expect(result.code).toBe(1)
    expect(result.stdout + result.stderr).toMatch(/cannot be reached/)
    expect(existsSync(`${dead.directory}/bandersnatch.conf`)).toBe(false)
    expect(existsSync(`/etc/nginx/sites-available/pip-mirror-${dead.port}`)).toBe(false)
  })
})

describe('a sync outlives its connection', () => {
  it('keeps running when the connection is cut, and the next apply reattaches to it', async () => {
    // Files arrive slowly from this upstream, so the sync is caught in the middle.
    const slow = await startPypiStandin({ fileDelaySeconds: 3 })
    const relay = await startLatencyProxy({ host: bed.sshd.host, port: bed.sshd.port }, 0)
    try {
      const target = await bed.newSite({ upstream: slow.url })
      const viaRelay = JSON.parse(await readFile(target.path, 'utf8')) as {
        mirror: { ssh: { port: number } }
      }
      viaRelay.mirror.ssh.port = relay.port
      const sitePath = join(bed.work, 'via-relay.json')
      await writeFile(sitePath, JSON.stringify(viaRelay))
      let cut = false
      const first = await runPipMirror(
        ['apply', '--site', sitePath, '--yes', ...acceptKey],
        {},
        (stdout) => {
          if (!cut && /Sync started \(pid \d+\)/.test(stdout)) {
            cut = true
            relay.cut()
          }
        },
      )
      expect(cut).toBe(true)
      expect(first.code).toBe(1)
      expect(first.stdout + first.stderr).toMatch(/connection|lost/i)
      const pid = Number(/Sync started \(pid (\d+)\)/.exec(first.stdout)?.[1])
      // The sync goes on without the connection that started it.
      expect(existsSync(`/proc/${pid}`)).toBe(true)
      expect((await readFile(`${target.directory}/.pip-mirror/sync.pid`, 'utf8')).trim()).toBe(
        String(pid),
      )

      const second = await runPipMirror(['apply', '--site', target.path, '--yes', ...acceptKey])
      expect(second.code, `${second.stdout}\n${second.stderr}`).toBe(0)
      expect(second.stdout).toContain(`Reattaching to the sync running as pid ${pid}`)
      expect(second.stdout).not.toMatch(/Sync started/)
      expect((await readFile(`${target.directory}/.pip-mirror/sync.exit`, 'utf8')).trim()).toBe('0')
    } finally {
      await relay.stop()
      await slow.stop()
    }
  })

  it('cancel-sync stops a running sync, and the next apply resumes and completes it', async () => {
    const slow = await startPypiStandin({ fileDelaySeconds: 3 })
    try {
      const target = await bed.newSite({ upstream: slow.url })
      let started = false
      const applying = runPipMirror(
        ['apply', '--site', target.path, '--yes', ...acceptKey],
        {},
        (stdout) => {
          started ||= /Sync started \(pid \d+\)/.test(stdout)
        },
      )
      await waitFor(() => started, 'the sync to start', 120_000)
      const cancel = await runPipMirror(['cancel-sync', '--site', target.path, ...acceptKey])
      expect(cancel.code).toBe(0)
      expect(cancel.stdout).toMatch(/sync was stopped/)
      const interrupted = await applying
      expect(interrupted.code).toBe(1)
      expect(interrupted.stdout + interrupted.stderr).toMatch(
        /stopped before it finished|exited with code/,
      )
      const resumed = await runPipMirror(['apply', '--site', target.path, '--yes', ...acceptKey])
      expect(resumed.code, `${resumed.stdout}\n${resumed.stderr}`).toBe(0)
    } finally {
      await slow.stop()
    }
  })
})

describe('as a user whose sudo needs a password', () => {
  it('applies with the password from the environment, never showing it, and the mirror belongs to that user', async () => {
    const created = await bed.newSite()
    const path = await sudoerSiteFile(bed, created)
    const env = SUDOER_ENV
    const dataDir = await mkdtemp(join(tmpdir(), 'pmw-cli-data-'))
    const result = await runPipMirror(
      ['apply', '--site', path, '--yes', '--data-dir', dataDir, ...acceptKey],
      env,
    )
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0)
    // The run is in the app's activity history, as the app shows CLI runs, without the password.
    const [recorded, ...others] = await new HistoryStore(dataDir).list()
    expect(others).toEqual([])
    expect(recorded).toMatchObject({
      face: 'cli',
      action: 'pip-mirror apply',
      site: `sudoer-site-${created.port}`,
      host: `${SUDOER.name}@${bed.sshd.host}:${bed.sshd.port}`,
      status: 'changed',
      error: null,
    })
    expect(recorded?.steps.map((step) => step.id)).toContain('sync')
    const run = await new HistoryStore(dataDir).get(recorded?.id ?? '')
    expect(run?.commands.some((line) => line.line.startsWith('(as root) $ '))).toBe(true)
    expect(await sh('grep', ['-rlF', SUDOER.password, dataDir]).catch(() => '')).toBe('')
    await rm(dataDir, { recursive: true, force: true })
    expect(result.stdout).toContain('(as root) $ ')
    expect(result.stdout + result.stderr).not.toContain(SUDOER.password)
    const owner = (
      await sh('stat', [
        '-c',
        '%U',
        created.directory,
        `${created.directory}/web/simple/alpha/index.html`,
      ])
    )
      .trim()
      .split('\n')
    expect(owner).toEqual([SUDOER.name, SUDOER.name])
    const leaked = await sh('grep', ['-rl', SUDOER.password, created.directory]).catch(() => '')
    expect(leaked).toBe('')
  })
})
