import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseSite, SiteError, type SiteInput } from '#shared/site'
import { loadSiteFile } from '../../src-main/engine/site-file'

const SECRET = 's3cret-Pa55'

function site(extra: { mirror?: Record<string, unknown>; worker?: Record<string, unknown> } = {}) {
  return {
    mirror: {
      ssh: { host: '10.0.0.5', user: 'ops' },
      requirements: ['six'],
      serve: { listen: '10.0.0.5:8080' },
      ...extra.mirror,
    },
    workers: extra.worker
      ? [{ ssh: { host: '10.0.0.6', user: 'ops' }, workerDir: '/srv/worker', ...extra.worker }]
      : [],
  } as SiteInput
}

function problemsOf(input: unknown): SiteError['problems'] {
  try {
    parseSite(input)
  } catch (error) {
    if (error instanceof SiteError) return error.problems
    throw error
  }
  return []
}

describe('credentials inside URLs', () => {
  it.each([
    ['mirror.upstream', site({ mirror: { upstream: `https://ops:${SECRET}@pypi.internal/` } })],
    ['mirror.proxy', site({ mirror: { proxy: `http://ops:${SECRET}@proxy.lan:3128` } })],
    ['mirror.pipIndexUrl', site({ mirror: { pipIndexUrl: `https://${SECRET}@idx.lan/simple` } })],
    [
      'workers.0.pipMirror',
      site({ worker: { pipMirror: `http://u:${SECRET}@10.0.0.5:8080/pypi` } }),
    ],
  ])('are refused in %s, naming the field and never repeating the secret', (field, input) => {
    const problems = problemsOf(input)
    expect(problems.map((p) => p.field)).toEqual([field])
    expect(problems[0]?.message).toMatch(/user name or password/)
    expect(JSON.stringify(problems)).not.toContain(SECRET)
  })

  it('leave URLs without them alone', () => {
    expect(
      problemsOf(
        site({
          mirror: { upstream: 'https://pypi.internal/', proxy: 'http://proxy.lan:3128' },
          worker: { pipMirror: 'http://10.0.0.5:8080/pypi' },
        }),
      ),
    ).toEqual([])
  })
})

describe('requirement files a site file names', () => {
  let dir: string
  let outside: string

  beforeAll(async () => {
    const root = await mkdtemp(join(tmpdir(), 'pmw-site-files-'))
    dir = join(root, 'site')
    outside = join(root, 'elsewhere')
    await mkdir(join(dir, 'lists'), { recursive: true })
    await mkdir(outside)
    await writeFile(join(dir, 'requirements.in'), 'six\n')
    await writeFile(join(dir, 'lists', 'worker.in'), 'requests\n')
    await writeFile(join(outside, 'private.in'), 'leaked-project\n')
    await symlink(join(outside, 'private.in'), join(dir, 'innocent.in'))
  })

  afterAll(async () => {
    await rm(join(dir, '..'), { recursive: true, force: true })
  })

  async function load(mirror: Record<string, unknown>, worker?: Record<string, unknown>) {
    const input = site({
      mirror: { requirements: undefined, ...mirror },
      ...(worker ? { worker } : {}),
    })
    const path = join(dir, 'site.json')
    await writeFile(path, JSON.stringify(input))
    return loadSiteFile(path)
  }

  it('are read from the site file’s folder and below it', async () => {
    const loaded = await load(
      { requirementsFile: 'requirements.in' },
      { registryRequirementsFile: 'lists/worker.in' },
    )
    expect(loaded.mirror.requirements).toEqual(['six'])
    expect(loaded.workers[0]?.registryRequirements).toEqual(['requests'])
  })

  it.each([
    ['a parent folder', '../elsewhere/private.in'],
    ['an absolute path', '/etc/passwd'],
    ['a symbolic link that leads out', 'innocent.in'],
  ])('refuse %s, naming the field, without reading it', async (_what, name) => {
    const attempt = load({ requirementsFile: name })
    await expect(attempt).rejects.toBeInstanceOf(SiteError)
    await expect(attempt).rejects.toThrow(
      /mirror\.requirementsFile: must name a file in the site file's folder/,
    )
    await expect(attempt).rejects.not.toThrow(/leaked-project|root:/)
  })

  it('confine the workers’ files too', async () => {
    await expect(
      load(
        { requirementsFile: 'requirements.in' },
        { registryRequirementsFile: '../elsewhere/private.in' },
      ),
    ).rejects.toThrow(/workers\.0\.registryRequirementsFile: must name a file/)
  })
})
