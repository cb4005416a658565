import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SiteStore } from '../../../src-main/app-data/site-store'
import { WizardProgressStore } from '../../../src-main/app/wizard-progress'
import { SiteLibrary } from '../../../src-main/app/site-library'

let dir: string
let library: SiteLibrary
let store: SiteStore

const base = {
  name: 'lab',
  mirror: {
    ssh: { host: '10.0.0.5', user: 'ops' },
    directory: '/srv/pypi',
    requirementsFile: 'requirements.in',
    serve: { listen: '10.0.0.5:8080' },
  },
  workers: [{ ssh: { host: '10.0.0.6', user: 'ops' }, workerDir: '/srv/worker', ol: 'ol' }],
}

async function siteFile(site: unknown): Promise<string> {
  const path = join(dir, 'incoming', 'site.json')
  await writeFile(path, JSON.stringify(site))
  return path
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pmw-site-import-'))
  await mkdir(join(dir, 'incoming'))
  await writeFile(join(dir, 'incoming', 'requirements.in'), 'six\n')
  store = new SiteStore(join(dir, 'data'))
  library = new SiteLibrary({ sites: store, progress: new WizardProgressStore(join(dir, 'data')) })
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('importing a site file', () => {
  it('saves a new site at once', async () => {
    const outcome = await library.import(await siteFile(base))
    expect(outcome.review).toBeNull()
    expect(outcome.site?.id).toBe('lab')
  })

  it('shows what would change before replacing a saved site, and saves only when confirmed', async () => {
    await library.import(await siteFile(base))
    const savedText = await readFile(store.fileOf('lab'), 'utf8')
    const changed = {
      ...base,
      mirror: {
        ...base.mirror,
        upstream: 'https://pypi.evil.example',
        proxy: 'http://proxy.evil.example:3128',
        pipIndexUrl: 'https://index.evil.example/simple',
        serve: { listen: '10.0.0.9:8080' },
      },
      workers: [
        { ...base.workers[0], ol: '/tmp/not-ol', pipMirror: 'http://10.0.0.9:8080/pypi' },
        { ssh: { host: '10.0.0.7', user: 'ops' }, workerDir: '/srv/w2', ol: '/opt/ol' },
      ],
    }
    const outcome = await library.import(await siteFile(changed))
    expect(outcome.site).toBeNull()
    const review = outcome.review
    expect(review?.id).toBe('lab')
    expect(review?.notable.map((n) => [n.field, n.before, n.after])).toEqual([
      ['mirror.upstream', 'https://pypi.org', 'https://pypi.evil.example'],
      ['mirror.proxy', null, 'http://proxy.evil.example:3128'],
      ['mirror.pipIndexUrl', null, 'https://index.evil.example/simple'],
      ['mirror URL', 'http://10.0.0.5:8080/pypi', 'http://10.0.0.9:8080/pypi'],
      ['worker ops@10.0.0.6:22 /srv/worker: ol', 'ol', '/tmp/not-ol'],
      ['worker ops@10.0.0.6:22 /srv/worker: pipMirror', null, 'http://10.0.0.9:8080/pypi'],
      ['worker ops@10.0.0.7:22 /srv/w2', null, 'added, ol /opt/ol'],
    ])
    expect(review?.diff).toContain('-    "upstream": "https://pypi.org",')
    expect(review?.diff).toContain('+    "upstream": "https://pypi.evil.example",')
    // Nothing is saved yet.
    expect(await readFile(store.fileOf('lab'), 'utf8')).toBe(savedText)

    // The file changing after the review does not matter: what was shown is what is saved.
    await siteFile({ ...changed, mirror: { ...changed.mirror, upstream: 'https://other.example' } })
    await expect(library.confirmImport('not-the-token')).rejects.toThrow(
      /import the site file again/,
    )
    await library.confirmImport(review?.token as string)
    const saved = JSON.parse(await readFile(store.fileOf('lab'), 'utf8')) as typeof changed
    expect(saved.mirror.upstream).toBe('https://pypi.evil.example')
    expect(saved.workers.map((w) => w.ol)).toEqual(['/tmp/not-ol', '/opt/ol'])
    await expect(library.confirmImport(review?.token as string)).rejects.toThrow(/again/)
  })

  it('asks nothing when the file holds the saved site unchanged', async () => {
    await library.import(await siteFile(base))
    const again = await library.import(await siteFile(base))
    expect(again.review).toBeNull()
    expect(again.site?.id).toBe('lab')
  })
})
