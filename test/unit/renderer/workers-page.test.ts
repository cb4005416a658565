import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import { useRunsStore } from '@/stores/runs'
import { useSiteStore } from '@/stores/site'
import WorkersView from '@/views/WorkersView.vue'
import { fakeBridge } from './fake-bridge'
import { mountPage } from './mount-page'
import { stageRecord } from './stage-record'

const WORKER = {
  ssh: { host: '10.0.0.21', port: 22, user: 'root' },
  workerDir: '/srv/ol/worker',
  ol: 'ol',
  baseImage: 'ol-min',
}
const LABEL = 'root@10.0.0.21:22:/srv/ol/worker'
const byTestId = (id: string): HTMLElement | null =>
  document.body.querySelector(`[data-testid="${id}"]`)

afterEach(() => {
  delete window.pipMirror
  document.body.innerHTML = ''
})

async function showWorkersPage() {
  const fake = fakeBridge({ 'run:start': () => ({ kind: 'started', runId: 'fleet-1' }) })
  window.pipMirror = fake.bridge
  const mounted = await mountPage(WorkersView, '/workers')
  useSiteStore().hydrate(
    {
      directory: '/srv/pypi',
      upstream: 'https://pypi.org',
      allowNonHttps: false,
      proxy: null,
      pythonVersions: ['3.11'],
      requirements: ['alpha'],
      workers: [WORKER],
    },
    'http://10.0.0.5:8080/pypi',
  )
  await flushPromises()
  return { ...mounted, fake }
}

describe('the Workers page', () => {
  it('shows each host’s progress line as the fleet runs, then every config.json diff', async () => {
    const { wrapper, fake } = await showWorkersPage()
    await wrapper.find('[data-testid="plan-workers"]').trigger('click')
    await flushPromises()
    expect(fake.calls.at(-1)).toEqual({
      channel: 'run:start',
      request: { stage: 'workers', mode: 'plan' },
    })

    const runs = useRunsStore()
    runs.onFleetEvent('fleet-1', {
      type: 'fleet-started',
      mode: 'plan',
      hosts: [LABEL],
      concurrency: 4,
    })
    runs.onFleetEvent('fleet-1', {
      type: 'fleet-host-status',
      host: LABEL,
      state: 'running',
      line: 'step 3/6: Point config.json at the mirror',
    })
    await flushPromises()
    expect(byTestId('worker-status')?.textContent).toContain(
      'step 3/6: Point config.json at the mirror',
    )

    const diff =
      '--- a/srv/ol/worker/config.json\n+++ b/srv/ol/worker/config.json\n@@ -1 +1 @@\n-  "pip_mirror": ""\n+  "pip_mirror": "http://10.0.0.5:8080/pypi"\n'
    const plans = [
      {
        host: LABEL,
        step: 'worker-config',
        plan: {
          changes: [
            {
              kind: 'file' as const,
              summary: 'Set pip_mirror',
              path: '/srv/ol/worker/config.json',
              diff,
            },
          ],
          notes: [],
        },
      },
    ]
    useRunsStore().onRunFinished(
      stageRecord({
        runId: 'fleet-1',
        stage: 'workers',
        mode: 'plan',
        status: 'planned',
        finishedAt: '2025-01-01T00:00:05Z',
        fleet: {
          mode: 'plan',
          status: 'planned',
          hosts: [
            { host: LABEL, state: 'planned', changes: 2, findings: [], line: '2 changes planned' },
          ],
          plans,
        },
      }),
    )
    await flushPromises()
    expect(byTestId('worker-status')?.textContent).toContain('2 changes planned')
    expect(byTestId('worker-diffs')?.textContent).toContain(
      '"pip_mirror": "http://10.0.0.5:8080/pypi"',
    )
    expect(byTestId('apply-workers')).not.toBeNull()
  })

  it('says what to do about a worker that failed, as the engine said it', async () => {
    await showWorkersPage()
    useRunsStore().onRunFinished(
      stageRecord({
        runId: 'fleet-2',
        stage: 'workers',
        mode: 'apply',
        status: 'failed',
        fleet: {
          mode: 'apply',
          status: 'failed',
          hosts: [
            {
              host: LABEL,
              state: 'failed',
              changes: 0,
              findings: [],
              line: 'FAILED at "Connect": No answer (on root@10.0.0.21:22)',
              failure: {
                message: 'No answer (on root@10.0.0.21:22)',
                hint: 'check that sshd runs on the worker and the port is open',
              },
            },
          ],
          plans: [],
        },
      }),
    )
    await flushPromises()
    expect(byTestId('worker-hint')?.textContent).toContain(
      'check that sshd runs on the worker and the port is open',
    )
  })

  it('reads the hosts one per line and says which line is wrong', async () => {
    const { wrapper, fake } = await showWorkersPage()
    ;(document.body.querySelector('.n-collapse-item__header-main') as HTMLElement).click()
    await flushPromises()
    const hosts = byTestId('worker-hosts')?.querySelector('textarea') as HTMLTextAreaElement
    hosts.value = '10.0.0.21\nnot a host name'
    hosts.dispatchEvent(new Event('input'))
    await flushPromises()
    await wrapper.find('[data-testid="add-workers"]').trigger('click')
    await flushPromises()
    expect(document.body.textContent).toContain('"not a host name" is not a host.')
    expect(fake.calls.map((call) => call.channel)).not.toContain('worker:add')
  })
})

describe("the sandboxes' Python", () => {
  it('offers to add it to the mirror in one click when the site lacks it', async () => {
    const { fake } = await showWorkersPage()
    fake.bridge.invoke = (async (channel: string, request: unknown) => {
      fake.calls.push({ channel: channel as never, request })
      return {
        ok: true,
        value: {
          site: { ...useSiteStore().draft, pythonVersions: ['3.11', '3.10'] },
          mirrorUrl: 'http://10.0.0.5:8080/pypi',
        },
      }
    }) as typeof fake.bridge.invoke
    useRunsStore().onRunFinished(
      stageRecord({
        runId: 'fleet-1',
        stage: 'workers',
        mode: 'plan',
        status: 'planned',
        findings: [
          {
            severity: 'warning',
            title:
              'The sandboxes run Python 3.10, which the mirror is not proven for (it has 3.11)',
            action: { kind: 'add-python', pythonVersion: '3.10' },
          },
        ],
      }),
    )
    await flushPromises()
    expect(byTestId('add-python')?.textContent).toContain(
      'The mirror keeps and proves files for Python 3.11 only.',
    )
    byTestId('add-python-3.10')?.click()
    await flushPromises()
    expect(fake.calls.at(-1)).toEqual({
      channel: 'site:update',
      request: { pythonVersions: ['3.11', '3.10'] },
    })
    expect(byTestId('python-added')?.textContent).toContain('Python 3.10 added')
    expect(byTestId('add-python')).toBeNull()
  })
})
