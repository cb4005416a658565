import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SiteStore, SiteStoreError } from '../../../src-main/app-data/site-store'
import { slugify } from '../../../src-main/app-data/slug'
import { freshWizardProgress, WizardProgressStore } from '../../../src-main/app/wizard-progress'
import { loadSiteFile } from '../../../src-main/engine/site-file'
import { SiteError, type SiteInput } from '#shared/site'

let base: string
let store: SiteStore

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'pmw-sites-'))
  store = new SiteStore(base)
})
afterEach(() => rm(base, { recursive: true, force: true }))

const site = (overrides: Partial<SiteInput['mirror']> = {}, name?: string): SiteInput => ({
  ...(name ? { name } : {}),
  mirror: {
    ssh: { host: '10.0.0.5', port: 22, user: 'ops', identityFile: '~/.ssh/id_ed25519' },
    directory: '/srv/pypi',
    requirements: ['requests==2.31.0', 'numpy'],
    serve: { listen: '10.0.0.5:8080' },
    ...overrides,
  },
})

describe('saved sites', () => {
  it('saves the exact JSON the CLI reads, under a slug of its name', async () => {
    const saved = await store.save(site({}, 'Lab mirror #1'))
    expect(saved).toMatchObject({
      id: 'lab-mirror-1',
      name: 'Lab mirror #1',
      host: '10.0.0.5',
      directory: '/srv/pypi',
      url: 'http://10.0.0.5:8080/pypi',
      workers: 0,
    })
    expect(saved.file).toBe(join(base, 'sites', 'lab-mirror-1.json'))
    // what `pip-mirror apply --site <file>` reads
    const viaCli = await loadSiteFile(saved.file)
    expect(viaCli.mirror.requirements).toEqual(['requests==2.31.0', 'numpy'])
    expect(await store.load('lab-mirror-1')).toEqual(viaCli)
    expect((await stat(saved.file)).mode & 0o777).toBe(0o600)
  })

  it('names an unnamed site after its host and directory; saving the same mirror again keeps its id', async () => {
    const first = await store.save(site())
    expect(first.id).toBe('10-0-0-5-srv-pypi')
    const again = await store.save(site({ requirements: ['flask'] }))
    expect(again.id).toBe(first.id)
    expect((await store.load(first.id)).mirror.requirements).toEqual(['flask'])
    const other = await store.save(site({ directory: '/srv/pypi2' }, '10.0.0.5 /srv/pypi'))
    expect(other.id).toBe('10-0-0-5-srv-pypi-2')
    expect((await store.list()).sites.map((s) => s.id).sort()).toEqual([first.id, other.id])
  })

  it('never keeps a secret: unknown fields are dropped, passwords in URLs refused', async () => {
    const input = site() as SiteInput & { mirror: { ssh: Record<string, unknown> } }
    ;(input.mirror.ssh as Record<string, unknown>).password = 'Sudo-pass 1!-x7'
    ;(input as unknown as Record<string, unknown>).sudoPassword = 'Sudo-pass 1!-x7'
    const saved = await store.save(input)
    expect(await readFile(saved.file, 'utf8')).not.toContain('Sudo-pass')
    await expect(
      store.save(site({ proxy: 'http://me:Sudo-pass@proxy:3128', allowNonHttps: true })),
    ).rejects.toThrow(/mirror\.proxy: must not hold a user name or password/)
    expect((await readdir(join(base, 'sites'))).length).toBe(1)
  })

  it('refuses an invalid site, naming the field', async () => {
    await expect(store.save(site({ directory: '../etc' }))).rejects.toThrow(SiteError)
    await expect(store.save(site({ directory: '../etc' }))).rejects.toThrow(/mirror\.directory/)
  })

  it('imports a site file with its requirements file, and exports it back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pmw-import-'))
    try {
      await writeFile(join(dir, 'requirements.in'), 'flask\n# a comment\nrequests==2.31.0\n')
      const input = site()
      delete input.mirror.requirements
      input.mirror.requirementsFile = 'requirements.in'
      await writeFile(join(dir, 'site.json'), JSON.stringify(input))
      const saved = await store.importFrom(join(dir, 'site.json'))
      const text = JSON.parse(await readFile(saved.file, 'utf8')) as {
        mirror: Record<string, unknown>
      }
      expect(text.mirror.requirements).toEqual(['flask', 'requests==2.31.0'])
      expect(text.mirror).not.toHaveProperty('requirementsFile')
      const out = join(dir, 'exported.json')
      await store.exportTo(saved.id, out)
      expect(await loadSiteFile(out)).toEqual(await store.load(saved.id))
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('lists broken files apart, and deletes sites with their wizard progress', async () => {
    const saved = await store.save(site({}, 'a'))
    await writeFile(join(base, 'sites', 'broken.json'), '{"mirror": {}}')
    const listed = await store.list()
    expect(listed.sites.map((s) => s.id)).toEqual(['a'])
    expect(listed.broken).toEqual([
      expect.objectContaining({ id: 'broken', problem: expect.stringMatching(/mirror\./) }),
    ])
    const progress = new WizardProgressStore(base)
    const stopped = freshWizardProgress()
    stopped.wizard = { step: 'serve', completed: ['connect'] }
    await progress.save(saved.id, stopped)
    expect(await progress.load(saved.id)).toMatchObject({ wizard: { step: 'serve' } })
    expect(await store.remove(saved.id)).toBe(true)
    expect(await store.remove(saved.id)).toBe(false)
    expect(await progress.load(saved.id)).toBeNull()
  })

  it('takes only slug ids, so no id reaches outside its directory', async () => {
    for (const bad of ['../x', 'a/b', '', 'UPPER', '.hidden', 'a'.repeat(81)]) {
      expect(() => store.fileOf(bad), bad).toThrow(SiteStoreError)
      await expect(store.load(bad)).rejects.toThrow(SiteStoreError)
    }
    expect(slugify('Ünïcode  Site!! ')).toBe('unicode-site')
    expect(slugify('***')).toBe('site')
  })
})
