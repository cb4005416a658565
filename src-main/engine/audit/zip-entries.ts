import { inflateRawSync } from 'node:zlib'

/**
 * The files of a zip archive (stored or deflated), read from its central directory: enough for
 * osv.dev's exports (`<ecosystem>/all.zip`, one JSON file per advisory). No zip64, no encryption.
 */
export function* zipEntries(zip: Buffer): Generator<{ name: string; data: () => Buffer }> {
  const end = findEndOfCentralDirectory(zip)
  const count = zip.readUInt16LE(end + 10)
  let at = zip.readUInt32LE(end + 16)
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('a broken zip central directory')
    const method = zip.readUInt16LE(at + 10)
    const compressed = zip.readUInt32LE(at + 20)
    const nameLength = zip.readUInt16LE(at + 28)
    const extraLength = zip.readUInt16LE(at + 30)
    const commentLength = zip.readUInt16LE(at + 32)
    const local = zip.readUInt32LE(at + 42)
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength)
    at += 46 + nameLength + extraLength + commentLength
    if (name.endsWith('/')) continue
    yield {
      name,
      data: () => {
        if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error(`${name}: a broken zip entry`)
        const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)
        const raw = zip.subarray(start, start + compressed)
        if (method === 0) return raw
        if (method === 8) return inflateRawSync(raw)
        throw new Error(`${name}: zip compression method ${method} is not supported`)
      },
    }
  }
}

function findEndOfCentralDirectory(zip: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535.
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--)
    if (zip.readUInt32LE(at) === 0x06054b50) return at
  throw new Error('not a zip archive (no end of central directory)')
}
