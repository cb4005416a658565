import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EngineError } from '../../../src-main/engine/errors'
import { osvRecordsFor, readOsvExport } from '../../../src-main/engine/audit/osv-export'

const run = promisify(execFile)
let dir: string

const record = (id: string, name: string, ecosystem = 'PyPI') => ({
  id,
  aliases: [`CVE-${id}`],
  summary: `${name} is affected`,
  affected: [
    {
      package: { ecosystem, name },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.2' }] }],
      versions: ['1.0', '1.1'],
    },
  ],
})

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pmw-osv-'))
  await mkdir(join(dir, 'records', 'nested'), { recursive: true })
  await writeFile(join(dir, 'records', 'PYSEC-1.json'), JSON.stringify(record('PYSEC-1', 'Alpha')))
  await writeFile(
    join(dir, 'records', 'nested', 'GHSA-2.json'),
    JSON.stringify(record('GHSA-2', 'left-pad', 'npm')),
  )
  await writeFile(
    join(dir, 'list.json'),
    JSON.stringify([record('A', 'beta'), record('B', 'gamma')]),
  )
  // osv.dev's export is a deflated zip of one JSON file per advisory.
  await run('python3', [
    '-c',
    `import zipfile, sys, json
with zipfile.ZipFile(sys.argv[1], 'w', compression=zipfile.ZIP_DEFLATED) as z:
    z.writestr('PYSEC-1.json', sys.argv[2])
    z.writestr('GHSA-3.json', sys.argv[3])
    z.writestr('README', 'not json')`,
    join(dir, 'all.zip'),
    JSON.stringify(record('PYSEC-1', 'alpha')),
    JSON.stringify(record('GHSA-3', 'Beta_Lib')),
  ])
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('an OSV export on the operator’s machine', () => {
  it('reads osv.dev’s zip, a directory of records, or one JSON file', async () => {
    expect((await readOsvExport(join(dir, 'all.zip'))).map((r) => r.id)).toEqual([
      'PYSEC-1',
      'GHSA-3',
    ])
    expect((await readOsvExport(join(dir, 'records'))).map((r) => r.id).sort()).toEqual([
      'GHSA-2',
      'PYSEC-1',
    ])
    expect((await readOsvExport(join(dir, 'list.json'))).map((r) => r.id)).toEqual(['A', 'B'])
  })

  it('keeps only PyPI records of the pinned projects, by normalized name', async () => {
    const records = [
      ...(await readOsvExport(join(dir, 'all.zip'))),
      ...(await readOsvExport(join(dir, 'records'))),
    ]
    expect(osvRecordsFor(records, ['alpha', 'beta-lib']).map((r) => r.id)).toEqual([
      'PYSEC-1',
      'GHSA-3',
      'PYSEC-1',
    ])
    expect(osvRecordsFor(records, ['left-pad'])).toEqual([])
  })

  it('says what is wrong with a path that is no export', async () => {
    await writeFile(join(dir, 'bad.json'), '{not json')
    await expect(readOsvExport(join(dir, 'bad.json'))).rejects.toThrow(EngineError)
    await expect(readOsvExport(join(dir, 'nothing-here'))).rejects.toThrow(
      /Cannot read the OSV export/,
    )
  })
})
