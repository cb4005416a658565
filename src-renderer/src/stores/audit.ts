import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { AuditReportView, ErrorView } from '#shared/ipc/contract'
import { invoke } from '../api'
import { toErrorView } from '../errors'

/**
 * The open site's audit: what the mirror serves, checked on the host. Run when the operator
 * asks (it hashes every file and asks the upstream about every pin), kept for the session.
 */
export const useAuditStore = defineStore('audit', () => {
  const report = shallowRef<AuditReportView | null>(null)
  const running = ref(false)
  const error = ref<ErrorView | null>(null)
  let auditedSite: string | null = null

  /** Forgets another site's audit. */
  function open(siteId: string): void {
    if (auditedSite === siteId) return
    auditedSite = siteId
    report.value = null
    error.value = null
  }

  async function run(siteId: string): Promise<void> {
    open(siteId)
    running.value = true
    error.value = null
    try {
      const read = await invoke('dashboard:audit', { siteId })
      if (auditedSite === siteId) report.value = read
    } catch (failure) {
      if (auditedSite === siteId) error.value = toErrorView(failure)
    } finally {
      running.value = false
    }
  }

  return { report, running, error, open, run }
})
