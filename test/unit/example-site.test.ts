import { describe, expect, it } from 'vitest'
import { fileURLToPath } from 'node:url'
import { loadSiteFile } from '../../src-main/engine/site-file'
import { mirrorUrl } from '#shared/site'

describe('the README example site', () => {
  it('is a valid site description whose requirements file is read', async () => {
    const site = await loadSiteFile(
      fileURLToPath(new URL('../../examples/site.json', import.meta.url)),
    )
    expect(site.mirror.requirements).toEqual(['requests==2.31.0', 'numpy'])
    expect(mirrorUrl(site.mirror)).toBe('http://10.0.0.5:8080/pypi')
  })
})
