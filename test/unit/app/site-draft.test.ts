import { describe, expect, it } from 'vitest'
import { applyDraftPatch, hostLabel, siteFromDraft } from '../../../src-main/app/site-draft'
import { EngineError } from '../../../src-main/engine/errors'
import { siteDraftSchema } from '#shared/ipc/session-schemas'

const ssh = { host: '10.0.0.5', port: 22, user: 'ops' }

describe('the site draft', () => {
  it('changes only the fields a patch names; null clears', () => {
    const draft = applyDraftPatch(siteDraftSchema.parse({}), {
      ssh,
      directory: '/srv/mirror',
      upstream: 'http://127.0.0.1:9000',
      allowNonHttps: true,
    })
    const served = applyDraftPatch(draft, {
      serve: { listen: '10.0.0.5:8080', location: '/pypi/' },
    })
    expect(served).toMatchObject({
      directory: '/srv/mirror',
      upstream: 'http://127.0.0.1:9000',
      allowNonHttps: true,
      serve: { listen: '10.0.0.5:8080' },
    })
    expect(applyDraftPatch(served, { serve: null }).serve).toBeUndefined()
  })

  it('refuses what the engine would refuse', () => {
    expect(() => applyDraftPatch(siteDraftSchema.parse({}), { directory: '/srv/../etc' })).toThrow()
  })

  it('becomes the engine’s site, with a placeholder address until the Serve page', () => {
    const draft = applyDraftPatch(siteDraftSchema.parse({}), { ssh, requirements: ['alpha'] })
    const site = siteFromDraft(draft)
    expect(site.mirror.serve.listen).toBe('0.0.0.0:8080')
    expect(site.mirror.requirements).toEqual(['alpha'])
    expect(hostLabel(site.mirror.ssh)).toBe('ops@10.0.0.5:22')
  })

  it('says what is missing, and what to do', () => {
    expect(() => siteFromDraft(siteDraftSchema.parse({}))).toThrow(EngineError)
    const plainHttp = applyDraftPatch(siteDraftSchema.parse({}), {
      ssh,
      upstream: 'http://mirror.internal',
    })
    expect(() => siteFromDraft(plainHttp)).toThrow(/mirror\.upstream/)
  })
})
