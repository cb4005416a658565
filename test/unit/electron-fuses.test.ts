import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config'
import { DebugLogger } from 'builder-util'

const ROOT = join(import.meta.dirname, '../..')

/** The fuses the packaged app must have, as electron-builder's `electronFuses` names them. */
const REQUIRED_FUSES = {
  runAsNode: false,
  enableNodeCliInspectArguments: false,
  enableNodeOptionsEnvironmentVariable: false,
  onlyLoadAppFromAsar: true,
  enableEmbeddedAsarIntegrityValidation: true,
  grantFileProtocolExtraPrivileges: false,
}

describe('the packaging config (electron-builder.yml)', async () => {
  // Read as electron-builder reads it, and checked against its own schema: a misspelled fuse fails.
  const config = await getConfig(ROOT, null, null)

  it('is valid for electron-builder', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined()
  })

  it.each(Object.entries(REQUIRED_FUSES))('sets the fuse %s to %s', (fuse, value) => {
    expect(config.electronFuses?.[fuse as keyof typeof REQUIRED_FUSES]).toBe(value)
  })

  it('packs the app into app.asar, the only place it is loaded from', () => {
    expect(config.asar).not.toBe(false)
  })
})
