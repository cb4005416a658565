import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import SiteImportReview from '@/components/SiteImportReview.vue'
import { useSitesStore } from '@/stores/sites'
import type { SavedSiteView, SiteImportReview as Review } from '#shared/ipc/contract'
import { fakeBridge } from './fake-bridge'

const review: Review = {
  token: 'token-1',
  id: 'lab',
  name: 'lab',
  diff: '--- a/sites/lab.json\n+++ b/sites/lab.json\n@@ -4,1 +4,1 @@\n-    "upstream": "https://pypi.org",\n+    "upstream": "https://pypi.evil.example",\n',
  notable: [
    {
      field: 'mirror.upstream',
      before: 'https://pypi.org',
      after: 'https://pypi.evil.example',
      why: 'every package the mirror serves is downloaded from here',
    },
    {
      field: 'worker root@10.0.0.6:22 /srv/worker: ol',
      before: 'ol',
      after: '/tmp/not-ol',
      why: 'the program run as root on the worker',
    },
  ],
}

const saved: SavedSiteView = {
  id: 'lab',
  file: '/data/sites/lab.json',
  name: 'lab',
  host: '10.0.0.5',
  user: 'ops',
  port: 22,
  directory: '/srv/pypi',
  url: 'http://10.0.0.5:8080/pypi',
  workers: 1,
  savedAt: '2026-01-01T00:00:00.000Z',
  setup: null,
}

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => {
  delete window.pipMirror
})

describe('SiteImportReview', () => {
  it('points out the changes that matter, shows the whole diff, and asks', async () => {
    const wrapper = mount(SiteImportReview, { props: { review } })
    expect(wrapper.text()).toContain('This file would replace the saved site “lab”')
    const notable = wrapper.findAll('[data-testid="site-import-notable"]').map((li) => li.text())
    expect(notable[0]).toContain('mirror.upstream')
    expect(notable[0]).toContain('https://pypi.org')
    expect(notable[0]).toContain('https://pypi.evil.example')
    expect(notable[1]).toContain('/tmp/not-ol')
    expect(notable[1]).toContain('the program run as root on the worker')
    expect(wrapper.findAll('.diff-view__line.is-add').map((l) => l.text())).toEqual([
      '+    "upstream": "https://pypi.evil.example",',
    ])
    await wrapper.get('[data-testid="site-import-cancel"]').trigger('click')
    await wrapper.get('[data-testid="site-import-confirm"]').trigger('click')
    expect(wrapper.emitted('cancel')).toHaveLength(1)
    expect(wrapper.emitted('confirm')).toHaveLength(1)
  })
})

describe('importing over a saved site', () => {
  it('saves nothing until confirmed, then confirms with the review’s token', async () => {
    const bridge = fakeBridge({
      'sites:import': () => ({ site: null, review }),
      'sites:import-confirm': () => ({ site: saved }),
      'sites:list': () => ({ sites: [saved], drafts: [], broken: [] }),
    })
    window.pipMirror = bridge.bridge
    const sites = useSitesStore()
    expect(await sites.importFile()).toBeNull()
    expect(sites.review?.notable).toHaveLength(2)
    expect(bridge.calls.map((c) => c.channel)).toEqual(['sites:import'])
    expect(await sites.confirmImport()).toBe('lab')
    await flushPromises()
    expect(bridge.calls[1]).toEqual({
      channel: 'sites:import-confirm',
      request: { token: 'token-1' },
    })
    expect(sites.review).toBeNull()
  })

  it('keeps the saved site when the review is dropped', async () => {
    const bridge = fakeBridge({ 'sites:import': () => ({ site: null, review }) })
    window.pipMirror = bridge.bridge
    const sites = useSitesStore()
    await sites.importFile()
    sites.dropImport()
    expect(sites.review).toBeNull()
    expect(bridge.calls.map((c) => c.channel)).toEqual(['sites:import'])
  })
})
