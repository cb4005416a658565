import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import type { SiteHealthView, TargetMatrixView } from '#shared/ipc/contract'
import MatrixSummary from '@/components/MatrixSummary.vue'
import TargetMatrix from '@/components/TargetMatrix.vue'
import { useConnectionStore } from '@/stores/connection'
import { useDashboardStore } from '@/stores/dashboard'
import { useRunsStore } from '@/stores/runs'
import DashboardView from '@/views/DashboardView.vue'
import VerifyView from '@/views/VerifyView.vue'
import { fakeBridge } from './fake-bridge'
import { mountPage } from './mount-page'
import { stageRecord } from './stage-record'

type Cell = TargetMatrixView['rows'][number]['cells'][number]

function cell(target: string, state: Cell['state'], extra: Partial<Cell> = {}): Cell {
  return {
    target,
    state,
    file: null,
    sha256: null,
    via: state === 'installs' ? 'wheel' : null,
    reason: `${state} on ${target}`,
    fix: state === 'installs' || state === 'not-needed' ? null : `fix ${state}`,
    markerUndecided: false,
    ...extra,
  }
}

const MATRIX: TargetMatrixView = {
  targets: [
    { id: 'cp3.10-linux-x86_64-glibc2.35', label: 'CPython 3.10, Linux x86_64 (glibc 2.35)' },
    { id: 'cp3.11-linux-x86_64-glibc2.35', label: 'CPython 3.11, Linux x86_64 (glibc 2.35)' },
  ],
  rows: [
    {
      name: 'pydantic-core',
      version: '2.14.6',
      marker: '',
      role: 'requirement',
      buildBackendOf: [],
      cells: [
        cell('cp3.10', 'no-file', {
          reason: 'no file of pydantic-core 2.14.6 installs on CPython 3.10',
          fix: 'change the pin: pydantic-core 2.14.6 has wheels for cp311, cp313 only',
        }),
        cell('cp3.11', 'installs'),
      ],
    },
    {
      name: 'tomli',
      version: '2.0.1',
      marker: "python_full_version < '3.11'",
      role: 'requirement',
      buildBackendOf: [],
      cells: [cell('cp3.10', 'installs'), cell('cp3.11', 'not-needed')],
    },
    {
      name: 'builtlib',
      version: '1.0',
      marker: '',
      role: 'requirement',
      buildBackendOf: [],
      cells: [
        cell('cp3.10', 'installs', { via: 'sdist' }),
        cell('cp3.11', 'installs', { via: 'sdist' }),
      ],
    },
    {
      name: 'pmw-build',
      version: '1.0',
      marker: '',
      role: 'build-backend',
      buildBackendOf: ['builtlib==1.0'],
      cells: [cell('cp3.10', 'installs'), cell('cp3.11', 'installs')],
    },
  ],
  failures: 1,
}

const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim()

afterEach(() => {
  delete window.pipMirror
  document.body.innerHTML = ''
})

describe('TargetMatrix', () => {
  it('shows a column per target and what pip does in each cell, the reason on hover', () => {
    const wrapper = mount(TargetMatrix, { props: { matrix: MATRIX } })
    const headers = wrapper.findAll('th').map((th) => th.text())
    expect(headers).toEqual([
      'Pin',
      'CPython 3.10, Linux x86_64 (glibc 2.35)',
      'CPython 3.11, Linux x86_64 (glibc 2.35)',
    ])
    const rows = wrapper.findAll('tbody tr').map((tr) => tr.findAll('td').map((td) => td.text()))
    expect(rows).toEqual([
      ['pydantic-core==2.14.6', 'no file', 'installs'],
      ["tomli==2.0.1 only when python_full_version < '3.11'", 'installs', 'not needed'],
      ['builtlib==1.0', 'builds', 'builds'],
      ['pmw-build==1.0 builds builtlib==1.0', 'installs', 'installs'],
    ])
    const failed = wrapper.get('[data-state="no-file"]')
    expect(failed.attributes('title')).toBe(
      'no file of pydantic-core 2.14.6 installs on CPython 3.10',
    )
  })
})

describe('MatrixSummary', () => {
  it('names each failing cell: pin, target, reason and fix', () => {
    const wrapper = mount(MatrixSummary, { props: { matrix: MATRIX } })
    expect(wrapper.text()).toContain('1 of 5 needed pin × target cells do not install.')
    expect(wrapper.findAll('[data-testid="matrix-failure"]').map((li) => li.text())).toEqual([
      'pydantic-core==2.14.6 on CPython 3.10, Linux x86_64 (glibc 2.35): no file of pydantic-core 2.14.6 installs on CPython 3.10 Fix: change the pin: pydantic-core 2.14.6 has wheels for cp311, cp313 only',
    ])
  })

  it('says so when every needed cell installs', () => {
    const ok = { ...MATRIX, rows: MATRIX.rows.slice(1), failures: 0 }
    const wrapper = mount(MatrixSummary, { props: { matrix: ok } })
    expect(wrapper.text()).toBe(
      'All 3 pinned releases install on each of the 2 targets where they are needed.',
    )
  })
})

describe('the Verify page', () => {
  it("shows the verify run's matrix and offers the doctor when nginx refused a file", async () => {
    window.pipMirror = fakeBridge({}).bridge
    await mountPage(VerifyView, '/verify')
    useConnectionStore().hydrate({
      state: 'connected',
      label: 'root@h:22',
      hostKey: null,
      hasSecrets: false,
    })
    const forbidden: TargetMatrixView = {
      ...MATRIX,
      rows: [
        {
          ...(MATRIX.rows[1] as TargetMatrixView['rows'][number]),
          cells: [
            cell('cp3.10', 'not-served', {
              reason: 'GET http://h/pypi/packages/t.whl answers HTTP 403',
            }),
            cell('cp3.11', 'not-needed'),
          ],
        },
      ],
    }
    useRunsStore().hydrate(
      {
        serve: stageRecord({ stage: 'serve' }),
        verify: stageRecord({ stage: 'verify', status: 'failed', targetMatrix: forbidden }),
      },
      null,
    )
    await flushPromises()
    const page = document.body
    expect(text(page.querySelector('[data-testid="matrix-summary"]'))).toContain(
      '1 of 1 needed pin × target cells do not install.',
    )
    expect(page.querySelectorAll('[data-testid="target-matrix"] tbody tr')).toHaveLength(1)
    expect(page.querySelector('[data-testid="forbidden"]')).not.toBeNull()
  })
})

describe('the dashboard', () => {
  it('shows every target of the mirror as read from the host, or why it could not', async () => {
    window.pipMirror = fakeBridge({}).bridge
    await mountPage(DashboardView, '/dashboard/site-1', { siteId: 'site-1' })
    const dashboard = useDashboardStore()
    const check = { state: 'ok' as const, reason: 'fine' }
    const health: SiteHealthView = {
      checkedAt: '2025-01-01T00:00:00Z',
      mirrorUrl: 'http://10.0.0.5:8080/pypi',
      mirror: {
        host: 'root@10.0.0.5:22',
        url: 'http://10.0.0.5:8080/pypi',
        ssh: check,
        http: check,
        nginx: check,
        figures: null,
        targets: { matrix: MATRIX, error: null },
      },
      serveArrow: check,
      sync: check,
      workers: [],
    }
    dashboard.health = health
    await flushPromises()
    const section = document.body.querySelector('[data-testid="mirror-targets"]')
    expect(text(section?.querySelector('[data-testid="matrix-summary"]'))).toContain(
      '1 of 5 needed pin × target cells do not install.',
    )
    expect(section?.querySelectorAll('tbody tr')).toHaveLength(4)

    dashboard.health = {
      ...health,
      mirror: {
        ...health.mirror,
        targets: { matrix: null, error: 'not proven: the mirror does not serve its index' },
      },
    }
    await flushPromises()
    const shown = document.body.querySelector('[data-testid="mirror-targets"]')
    expect(text(shown?.querySelector('p'))).toBe('not proven: the mirror does not serve its index')
    expect(shown?.querySelector('[data-testid="target-matrix"]')).toBeNull()
  })
})
