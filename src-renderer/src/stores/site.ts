import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ErrorView, SiteDraft, SiteDraftPatch } from '#shared/ipc/contract'
import { invoke } from '../api'
import { toErrorView } from '../errors'

const EMPTY_DRAFT: SiteDraft = {
  directory: '/srv/pypi',
  upstream: 'https://pypi.org',
  allowNonHttps: false,
  proxy: null,
  requirements: [],
  pythonVersions: ['3.11'],
  workers: [],
}

/** The site the wizard is describing (no secrets), as the main process keeps it. */
export const useSiteStore = defineStore('site', () => {
  const draft = ref<SiteDraft>(EMPTY_DRAFT)
  const mirrorUrl = ref<string | null>(null)
  const error = ref<ErrorView | null>(null)

  /** Saves a change; false (with `error` set) when the main process refused it. */
  async function update(patch: SiteDraftPatch): Promise<boolean> {
    try {
      const saved = await invoke('site:update', patch)
      draft.value = saved.site
      mirrorUrl.value = saved.mirrorUrl
      error.value = null
      return true
    } catch (failure) {
      error.value = toErrorView(failure)
      return false
    }
  }

  function hydrate(site: SiteDraft, url: string | null): void {
    draft.value = site
    mirrorUrl.value = url
  }

  return { draft, mirrorUrl, error, update, hydrate }
})
