import { flushPromises, mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import VirtualLog from '@/components/VirtualLog.vue'
import { LogBuffer } from '@/log-buffer'

const ROW = 18
const HEIGHT = 360

function mountLog(buffer: LogBuffer, revision = buffer.length) {
  return mount(VirtualLog, { props: { buffer, revision, height: HEIGHT, rowHeight: ROW } })
}

describe('VirtualLog', () => {
  it('holds only a window of rows in the DOM with 100,000 lines, and follows the end', async () => {
    const buffer = new LogBuffer()
    const wrapper = mountLog(buffer, 0)
    for (let i = 0; i < 100_000; i++) buffer.append({ stream: 'stdout', text: `line ${i}` })
    await wrapper.setProps({ revision: buffer.length })
    await flushPromises()
    await nextTick()

    const rows = wrapper.findAll('.virtual-log__row')
    expect(rows.length).toBeLessThanOrEqual(HEIGHT / ROW + 2 * 8 + 1)
    expect(rows.length).toBeGreaterThan(HEIGHT / ROW)
    expect(wrapper.find('.virtual-log__spacer').attributes('style')).toContain(
      `height: ${100_000 * ROW}px`,
    )
    // Following the end: the last line is among the rows shown.
    expect(rows.at(-1)?.text()).toBe('line 99999')
    expect(wrapper.attributes('data-lines')).toBe('100000')
  })

  it('shows the rows at the scroll position, and stops following when scrolled up', async () => {
    const buffer = new LogBuffer()
    for (let i = 0; i < 100_000; i++) buffer.append({ stream: 'stdout', text: `line ${i}` })
    const wrapper = mountLog(buffer)
    const scroller = wrapper.element as HTMLElement
    scroller.scrollTop = 50_000 * ROW
    await wrapper.trigger('scroll')
    const texts = wrapper.findAll('.virtual-log__row').map((row) => row.text())
    expect(texts).toContain('line 50000')
    expect(texts).toContain('line 50010')
    expect(texts).not.toContain('line 99999')

    buffer.append({ stream: 'stdout', text: 'a new line' })
    await wrapper.setProps({ revision: buffer.length })
    expect(wrapper.findAll('.virtual-log__row').map((row) => row.text())).toContain('line 50000')
  })

  it('marks commands and errors, and says when nothing is logged', async () => {
    const buffer = new LogBuffer()
    const empty = mountLog(buffer)
    expect(empty.text()).toContain('Nothing logged yet')
    buffer.append({ stream: 'command', text: '$ nginx -t' })
    buffer.append({ stream: 'stderr', text: 'oops' })
    await empty.setProps({ revision: 2 })
    expect(empty.find('.is-command').text()).toBe('$ nginx -t')
    expect(empty.find('.is-stderr').text()).toBe('oops')
  })
})

describe('LogBuffer', () => {
  it('drops the oldest lines beyond its capacity and counts them', () => {
    const buffer = new LogBuffer(3)
    for (const text of ['a', 'b', 'c', 'd', 'e']) buffer.append({ stream: 'info', text })
    expect(buffer.slice(0, 10).map((line) => line.text)).toEqual(['c', 'd', 'e'])
    expect(buffer.droppedCount).toBe(2)
  })

  it('keeps the order across many turns of the ring, and slices any window of it', () => {
    const buffer = new LogBuffer(1_000)
    for (let i = 0; i < 2_500_000; i++) buffer.append({ stream: 'stdout', text: `line ${i}` })
    expect(buffer.length).toBe(1_000)
    expect(buffer.droppedCount).toBe(2_499_000)
    const texts = (start: number, end: number): string[] =>
      buffer.slice(start, end).map((line) => line.text)
    expect(texts(0, 2)).toEqual(['line 2499000', 'line 2499001'])
    expect(texts(998, 5_000)).toEqual(['line 2499998', 'line 2499999'])
    expect(texts(499, 502)).toEqual(['line 2499499', 'line 2499500', 'line 2499501'])
    buffer.clear()
    buffer.append({ stream: 'info', text: 'again' })
    expect(texts(0, 10)).toEqual(['again'])
    expect(buffer.droppedCount).toBe(0)
  })
})
