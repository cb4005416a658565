import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { EngineError } from '../errors'
import { normalizeProjectName } from '#shared/site'
import { zipEntries } from './zip-entries'

/** The part of an OSV record the audit reads (https://ossf.github.io/osv-schema/). */
export interface OsvRecord {
  id: string
  aliases?: string[]
  summary?: string
  details?: string
  withdrawn?: string
  affected?: {
    package?: { ecosystem?: string; name?: string }
    versions?: string[]
    ranges?: { type?: string; events?: Record<string, string>[] }[]
  }[]
}

/** A few MB of JSON per file at most: an OSV record is small, a whole export is a zip. */
const MAX_RECORD_BYTES = 8 << 20

function recordsIn(value: unknown, where: string): OsvRecord[] {
  const list = Array.isArray(value) ? value : [value]
  return list.filter((record): record is OsvRecord => {
    const ok =
      typeof record === 'object' && record !== null && typeof (record as OsvRecord).id === 'string'
    if (!ok) throw new EngineError(`${where} holds something that is not an OSV record`)
    return true
  })
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new EngineError(`${where} is not valid JSON: ${(error as Error).message}`, {
      hint: 'point --osv at an OSV export: a .zip from osv.dev, a directory of .json records, or one .json file',
    })
  }
}

async function jsonFilesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true })
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => join(e.parentPath, e.name))
    .sort()
}

/**
 * Reads an OSV export on the operator's machine: osv.dev's `PyPI/all.zip`, a directory of
 * `.json` records (the zip unpacked), or one `.json` file (a record or a list of them).
 */
export async function readOsvExport(path: string): Promise<OsvRecord[]> {
  let info
  try {
    info = await stat(path)
  } catch (error) {
    throw new EngineError(
      `Cannot read the OSV export ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      { hint: 'check the path given to --osv' },
    )
  }
  if (info.isDirectory()) {
    const records: OsvRecord[] = []
    for (const file of await jsonFilesUnder(path))
      records.push(...recordsIn(parseJson(await readFile(file, 'utf8'), file), file))
    return records
  }
  const content = await readFile(path)
  if (content.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
    const records: OsvRecord[] = []
    for (const entry of zipEntries(content)) {
      if (!entry.name.endsWith('.json')) continue
      const data = entry.data()
      if (data.length > MAX_RECORD_BYTES) continue
      const where = `${path}:${entry.name}`
      records.push(...recordsIn(parseJson(data.toString('utf8'), where), where))
    }
    return records
  }
  return recordsIn(parseJson(content.toString('utf8'), path), path)
}

/** The records that speak of any of these PyPI projects (the rest never leave this machine). */
export function osvRecordsFor(records: readonly OsvRecord[], names: Iterable<string>): OsvRecord[] {
  const wanted = new Set([...names].map(normalizeProjectName))
  return records.filter((record) =>
    (record.affected ?? []).some(
      (entry) =>
        entry.package?.ecosystem === 'PyPI' &&
        wanted.has(normalizeProjectName(entry.package.name ?? '')),
    ),
  )
}
