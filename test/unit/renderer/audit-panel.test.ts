import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import ActionsPanel from '@/components/ActionsPanel.vue'
import AuditPanel from '@/components/AuditPanel.vue'
import { useDashboardStore } from '@/stores/dashboard'
import type { ActionPlanView, AuditReportView, AuditedReleaseView } from '#shared/ipc/contract'
import { fakeBridge } from './fake-bridge'

const release = (over: Partial<AuditedReleaseView>): AuditedReleaseView => ({
  name: 'alpha',
  version: '1.1',
  retained: false,
  source: 'upstream',
  files: [
    {
      filename: 'alpha-1.1-py3-none-any.whl',
      path: 'packages/aa/bb/cc/alpha-1.1-py3-none-any.whl',
      size: 1000,
      sha256: 'a'.repeat(64),
      indexSha256: 'a'.repeat(64),
      upstreamSha256: 'a'.repeat(64),
      uploadTime: '2024-01-01T02:00:00.000000Z',
      yanked: false,
      yankedReason: null,
      status: 'ok',
      detail: null,
    },
  ],
  yanked: false,
  yankedReason: null,
  uploadTime: '2024-01-01T02:00:00.000000Z',
  license: { expression: 'MIT', text: null, classifiers: [], source: 'upstream' },
  vulnerabilities: [],
  newest: '1.1',
  latest: '1.1',
  outdated: false,
  errors: [],
  ...over,
})

function report(): AuditReportView {
  const corrupt = release({ name: 'gamma', version: '1.0' })
  corrupt.files = corrupt.files.map((f) => ({
    ...f,
    filename: 'gamma-1.0-py3-none-any.whl',
    sha256: 'f'.repeat(64),
    status: 'mismatch',
    detail: 'sha256 on the host fff… is not aaa…, which the upstream published',
  }))
  return {
    checkedAt: '2099-01-01T00:00:00.000Z',
    host: 'root@10.0.0.5:22',
    mirrorUrl: 'http://10.0.0.5:8080/pypi',
    sources: {
      upstream: 'https://pypi.org',
      upstreamRequests: 6,
      upstreamUnreachable: null,
      vulnerabilities: 'pypi',
      osvExport: null,
    },
    hashed: { files: 3, bytes: 3000 },
    releases: [
      release({
        outdated: true,
        newest: '1.2',
        vulnerabilities: [
          {
            id: 'PYSEC-2099-7',
            aliases: ['CVE-2099-0007'],
            summary: 'alpha runs what it is sent',
            fixedIn: ['1.2'],
            withdrawn: null,
            link: null,
            source: 'pypi',
            fixVersion: '1.2',
            newestFixes: true,
          },
          {
            id: 'PYSEC-2099-8',
            aliases: [],
            summary: 'withdrawn',
            fixedIn: [],
            withdrawn: '2099-02-01T00:00:00Z',
            link: null,
            source: 'pypi',
            fixVersion: null,
            newestFixes: false,
          },
        ],
      }),
      release({ name: 'beta', version: '2.0', yanked: true, yankedReason: 'broken metadata' }),
      corrupt,
    ],
    counts: {
      releases: 3,
      files: 3,
      mismatched: 1,
      yanked: 1,
      vulnerable: 1,
      outdated: 1,
      fixable: 1,
    },
    findings: [],
  }
}

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => {
  delete window.pipMirror
})

describe('the dashboard’s audit panel', () => {
  it('runs the audit when asked, then shows the counts and the advisories, yanks and files behind them', async () => {
    const fake = fakeBridge({ 'dashboard:audit': () => report() })
    window.pipMirror = fake.bridge
    const wrapper = mount(AuditPanel, { props: { siteId: 'bed', disabled: false } })
    expect(fake.calls).toEqual([])
    await wrapper.get('[data-testid="audit-run"]').trigger('click')
    await flushPromises()
    expect(fake.calls).toEqual([{ channel: 'dashboard:audit', request: { siteId: 'bed' } }])
    const count = (key: string) => wrapper.get(`[data-testid="audit-count-${key}"]`).text()
    expect([count('vulnerable'), count('yanked'), count('mismatched'), count('outdated')]).toEqual([
      '1',
      '1',
      '1',
      '1',
    ])
    const advisories = wrapper.findAll('[data-testid="audit-advisory"]')
    expect(advisories).toHaveLength(1)
    expect(advisories[0]?.text()).toContain('PYSEC-2099-7')
    expect(advisories[0]?.text()).toContain('alpha==1.1')
    expect(advisories[0]?.text()).toContain('CVE-2099-0007')
    expect(advisories[0]?.text()).toContain('updating to 1.2 fixes it')
    expect(wrapper.get('[data-testid="audit-yanked"]').text()).toContain(
      'beta==2.0: broken metadata',
    )
    expect(wrapper.get('[data-testid="audit-mismatched"]').text()).toContain(
      'gamma-1.0-py3-none-any.whl',
    )
    const row = wrapper.get('[data-release="alpha==1.1"]').text()
    expect(row).toContain('MIT')
    expect(row).toContain('1.2')
    expect(wrapper.get('[data-release="gamma==1.0"]').text()).toContain('mismatch')
  })

  it('an update shows its pin diff first, and applies with the digest of the plan shown', async () => {
    const plan: ActionPlanView = {
      action: 'update',
      title: 'Update pins',
      host: 'root@10.0.0.5:22',
      steps: [],
      changeCount: 2,
      deletes: [],
      findings: [],
      error: null,
      update: {
        choice: { kind: 'security' },
        changes: [
          {
            name: 'alpha',
            kind: 'changed',
            from: ['1.1'],
            to: ['1.2'],
            fixes: [{ id: 'PYSEC-2099-7', aliases: [], summary: 's', fixVersion: '1.2' }],
            open: [],
            yanked: null,
          },
        ],
        unchanged: 3,
        retained: ['alpha==1.1'],
        notes: [],
        digest: 'd'.repeat(64),
      },
      prune: null,
    }
    const fake = fakeBridge({
      'dashboard:plan': () => plan,
      'dashboard:apply': () => ({ kind: 'started', runId: 'run-1' }),
    })
    window.pipMirror = fake.bridge
    const dashboard = useDashboardStore()
    dashboard.siteId = 'bed'
    const wrapper = mount(ActionsPanel, { props: { host: '10.0.0.5', disabled: false } })
    await wrapper.get('[data-testid="action-update"]').trigger('click')
    await flushPromises()
    expect(fake.calls.at(-1)).toEqual({
      channel: 'dashboard:plan',
      request: { siteId: 'bed', request: { action: 'update', choice: { kind: 'security' } } },
    })
    const diff = wrapper.get('[data-testid="pin-diff"]').text()
    expect(diff).toContain('alpha')
    expect(diff).toContain('1.1')
    expect(diff).toContain('1.2')
    expect(diff).toContain('fixes PYSEC-2099-7')
    expect(diff).toContain('Still served until you prune them: alpha==1.1')
    await wrapper.get('[data-testid="plan-apply"]').trigger('click')
    await flushPromises()
    expect(fake.calls.at(-1)).toEqual({
      channel: 'dashboard:apply',
      request: {
        siteId: 'bed',
        request: { action: 'update', choice: { kind: 'security' }, expectDigest: 'd'.repeat(64) },
      },
    })
  })
})
