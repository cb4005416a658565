import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  freshWizardProgress,
  WizardProgressStore,
} from '../../../src-main/app-data/wizard-progress'

let base: string
let store: WizardProgressStore

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'pmw-progress-'))
  store = new WizardProgressStore(base)
})

afterEach(async () => {
  await rm(base, { recursive: true, force: true })
})

describe('the wizard progress of each site', () => {
  it('is absent for a site the wizard never stopped on; a fresh one starts on Connect', async () => {
    expect(await store.load('mirror-a')).toBeNull()
    expect(await store.keys()).toEqual([])
    const fresh = freshWizardProgress()
    expect(fresh.wizard.step).toBe('connect')
    expect(fresh.site).toMatchObject({ directory: '/srv/pypi', upstream: 'https://pypi.org' })
  })

  it('saves atomically, privately, in order, and reads back what it saved', async () => {
    const progress = freshWizardProgress()
    progress.wizard = { step: 'mirror', completed: ['connect', 'check-host', 'packages'] }
    progress.site.requirements = ['alpha']
    await Promise.all([
      store.save('mirror-a', freshWizardProgress()),
      store.save('mirror-a', progress),
    ])
    await store.flush()
    expect(await new WizardProgressStore(base).load('mirror-a')).toEqual(progress)
    expect((await stat(store.fileOf('mirror-a'))).mode & 0o777).toBe(0o600)
    expect(await readdir(store.dir)).toEqual(['mirror-a.json'])
    expect(await store.keys()).toEqual(['mirror-a'])
  })

  it('moves a draft to the id its site was saved under, and forgets it', async () => {
    await store.save('new-0123456789', freshWizardProgress())
    await store.rename('new-0123456789', 'mirror-a')
    expect(await store.keys()).toEqual(['mirror-a'])
    await store.forget('mirror-a')
    expect(await store.keys()).toEqual([])
  })

  it('keeps a file it cannot read aside, and that wizard starts over', async () => {
    await store.save('mirror-a', freshWizardProgress())
    await writeFile(store.fileOf('mirror-a'), '{"version": 99}')
    expect(await store.load('mirror-a')).toBeNull()
    expect(await readFile(`${store.fileOf('mirror-a')}.broken`, 'utf8')).toBe('{"version": 99}')
  })

  it('takes only slug ids, so no key reaches outside its directory', () => {
    for (const bad of ['../x', 'a/b', '', 'UPPER']) expect(() => store.fileOf(bad)).toThrow()
  })
})
