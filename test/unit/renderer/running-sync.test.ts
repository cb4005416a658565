import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import RunningSync from '@/components/RunningSync.vue'
import type { MirrorFiguresView } from '#shared/ipc/contract'

const figures = (over: Partial<MirrorFiguresView>): MirrorFiguresView => ({
  projects: 4,
  files: 5,
  bytesOnDisk: 177_000,
  disk: null,
  serial: 10,
  lastSyncedAt: null,
  sync: { kind: 'none', todo: false, logBytes: 0 },
  progress: null,
  lastRun: null,
  nginx: { installed: true, running: true },
  ...over,
})

describe('RunningSync', () => {
  it('shows a sync running on the host, how far it is, and offers to follow it', async () => {
    const wrapper = mount(RunningSync, {
      props: {
        disabled: false,
        figures: figures({
          sync: { kind: 'running', pid: 4242, todo: true, logBytes: 900 },
          progress: { done: 3, total: 12, lastLine: 'INFO: Storing index page(s): gamma' },
        }),
      },
    })
    expect(wrapper.text()).toContain('A sync is running on the host now (pid 4242)')
    expect(wrapper.text()).toContain('3 of 12 projects so far')
    expect(wrapper.text()).toContain('INFO: Storing index page(s): gamma')
    expect(wrapper.find('[role="progressbar"]').attributes('aria-valuenow')).toBe('25')
    await wrapper.get('[data-testid="follow-sync"]').trigger('click')
    expect(wrapper.emitted('follow')).toHaveLength(1)
  })

  it('shows nothing when no sync runs', () => {
    const wrapper = mount(RunningSync, {
      props: { disabled: false, figures: figures({}) },
    })
    expect(wrapper.find('[data-testid="running-sync"]').exists()).toBe(false)
  })
})
