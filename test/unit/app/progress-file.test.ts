import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { freshProgress, ProgressFile } from '../../../src-main/app/progress-file'

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pmw-progress-'))
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('ProgressFile', () => {
  it('starts fresh on the Connect page when there is no file', async () => {
    const progress = await new ProgressFile(join(dir, 'progress.json')).load()
    expect(progress).toEqual(freshProgress())
    expect(progress.wizard.step).toBe('connect')
    expect(progress.site).toMatchObject({ directory: '/srv/pypi', upstream: 'https://pypi.org' })
  })

  it('saves atomically, privately, and reads back what it saved', async () => {
    const path = join(dir, 'progress.json')
    const file = new ProgressFile(path)
    const progress = freshProgress()
    progress.wizard = { step: 'mirror', completed: ['connect', 'check-host', 'packages'] }
    progress.site.requirements = ['alpha']
    await Promise.all([file.save(freshProgress()), file.save(progress)])
    await file.flush()
    expect(await new ProgressFile(path).load()).toEqual(progress)
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    expect(await readdir(dir)).toEqual(['progress.json'])
  })

  it('keeps a file it cannot read aside and starts over', async () => {
    const path = join(dir, 'progress.json')
    await writeFile(path, '{"version": 99}')
    expect(await new ProgressFile(path).load()).toEqual(freshProgress())
    expect(await readFile(`${path}.broken`, 'utf8')).toBe('{"version": 99}')
  })
})
