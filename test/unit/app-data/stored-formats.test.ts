import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HistoryStore } from '../../../src-main/app-data/history-store'
import { migrateHistoryRun } from '../../../src-main/app-data/history-types'
import { migrateWizardProgress } from '../../../src-main/app-data/wizard-progress-file'
import { historyRunView } from '../../../src-main/app/history-views'
import { WizardProgressStore } from '../../../src-main/app/wizard-progress'
import { historyRunSchema as historyRunViewSchema } from '#shared/ipc/history-schemas'
import { stageRecordSchema } from '#shared/ipc/session-schemas'

/** Files as the app wrote them at d357f65 (version 1): they must keep loading, unchanged. */
const fixtures = new URL('../../fixtures/app-data/', import.meta.url)
const PROGRESS_V1 = new URL('wizard-progress-v1.json', fixtures)
const HISTORY_V1 = new URL('history-run-v1.json', fixtures)

async function fixture(url: URL): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(url, 'utf8')) as Record<string, unknown>
}

let base: string

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'pmw-formats-'))
})

afterEach(async () => {
  await rm(base, { recursive: true, force: true })
})

describe('the wizard progress file, version 1', () => {
  it('migrates to the format written now with the same data', async () => {
    const v1 = await fixture(PROGRESS_V1)
    expect(migrateWizardProgress(v1)).toEqual(v1)
  })

  it('loads through the store as the session types, and is written back byte for byte', async () => {
    const v1 = await fixture(PROGRESS_V1)
    const store = new WizardProgressStore(base)
    await mkdir(store.dir, { recursive: true })
    await copyFile(PROGRESS_V1, store.fileOf('mirror-a'))

    const progress = await store.load('mirror-a')
    expect(progress).toEqual(v1)
    expect(stageRecordSchema.parse(progress?.stages.mirror)).toEqual(
      (v1.stages as Record<string, unknown>).mirror,
    )

    await store.save('mirror-b', progress!)
    await store.flush()
    expect(JSON.parse(await readFile(store.fileOf('mirror-b'), 'utf8'))).toEqual(v1)
  })

  it('forgets a stage run that no longer fits the page, and keeps the rest', async () => {
    const v1 = await fixture(PROGRESS_V1)
    const stages = v1.stages as Record<string, Record<string, unknown>>
    stages.mirror = { ...stages.mirror, status: 'no-such-status' }
    const store = new WizardProgressStore(base)
    await mkdir(store.dir, { recursive: true })
    await writeFile(store.fileOf('mirror-a'), JSON.stringify(v1))

    const progress = await store.load('mirror-a')
    expect(Object.keys(progress?.stages ?? {})).toEqual(['check'])
    expect(progress?.wizard).toEqual(v1.wizard)
    expect(progress?.actions).toEqual(v1.actions)
  })
})

describe('the history file, version 1', () => {
  it('migrates to the format written now with the same data', async () => {
    const v1 = await fixture(HISTORY_V1)
    expect(migrateHistoryRun(v1)).toEqual(v1)
  })

  it('is found by the store and sent to the page as the same data', async () => {
    const v1 = await fixture(HISTORY_V1)
    const history = new HistoryStore(base)
    await mkdir(history.dir, { recursive: true })
    await copyFile(HISTORY_V1, join(history.dir, `20250601T090500Z-${String(v1.id)}.json`))

    const run = await history.get(String(v1.id))
    expect(run).toEqual(v1)
    expect(historyRunViewSchema.parse(historyRunView(run!))).toEqual(v1)
  })
})
