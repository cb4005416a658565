import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { useRunsStore } from '@/stores/runs'
import { useWizardStore } from '@/stores/wizard'
import { fakeBridge } from './fake-bridge'
import { stageRecord } from './stage-record'

const record = stageRecord

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => {
  delete window.pipMirror
})

describe('the runs store', () => {
  it('follows a run from its events and resolves with its record', async () => {
    window.pipMirror = fakeBridge({
      'run:start': () => ({ kind: 'started', runId: 'run-1' }),
    }).bridge
    const runs = useRunsStore()
    const finished = runs.start('mirror', 'apply')
    await flushPromises()
    runs.onRunEvent('run-1', 'mirror', {
      type: 'run-started',
      runId: 'engine-id',
      mode: 'apply',
      host: 'root@h:22',
      steps: [
        { id: 'config', title: 'Write bandersnatch.conf' },
        { id: 'sync', title: 'Mirror the packages' },
      ],
    })
    runs.onRunEvent('run-1', 'mirror', { type: 'step-started', step: 'config', title: 'Write' })
    runs.onRunEvent('run-1', 'mirror', {
      type: 'step-done',
      step: 'config',
      status: 'changed',
      changes: 1,
    })
    runs.onRunEvent('run-1', 'mirror', { type: 'step-started', step: 'sync', title: 'Mirror' })
    runs.onRunEvent('run-1', 'mirror', {
      type: 'progress',
      step: 'sync',
      done: 2,
      total: 4,
      label: 'projects',
    })
    runs.onRunEvent('run-1', 'mirror', {
      type: 'log',
      step: 'sync',
      stream: 'stdout',
      line: 'Storing index page(s): alpha',
    })

    const live = runs.live.mirror
    expect(live?.steps.map((step) => step.state)).toEqual(['changed', 'running'])
    expect(live?.progress).toEqual({ step: 'sync', done: 2, total: 4, label: 'projects' })
    expect(
      runs
        .logOf('mirror')
        .slice(0, 10)
        .map((line) => line.text),
    ).toContain('Storing index page(s): alpha')
    expect(runs.logRevision.mirror).toBeGreaterThan(0)

    runs.onRunFinished(record())
    expect(await finished).toEqual({ record: record() })
    expect(runs.live.mirror).toBeUndefined()
    expect(runs.records.mirror?.status).toBe('changed')
    expect(useWizardStore().isCompleted('mirror')).toBe(true)
  })

  it('resolves a run that ended before its start call returned', async () => {
    const runs = useRunsStore()
    window.pipMirror = fakeBridge({
      'run:start': () => {
        runs.onRunFinished(
          record({ runId: 'fast', stage: 'check', mode: 'plan', status: 'planned' }),
        )
        return { kind: 'started', runId: 'fast' }
      },
    }).bridge
    const result = await runs.start('check', 'plan')
    expect(result).toMatchObject({ record: { runId: 'fast', status: 'planned' } })
  })

  it('passes a refusal on with what to do', async () => {
    const error = { message: 'Not connected to ops@h:22', hint: 'reconnect' }
    window.pipMirror = fakeBridge({ 'run:start': () => ({ kind: 'refused', error }) }).bridge
    expect(await useRunsStore().start('verify', 'apply')).toEqual({ error })
  })
})
