import { createApp, defineComponent, h, type App } from 'vue'
import { createPinia } from 'pinia'
import VirtualLog from '@/components/VirtualLog.vue'
import { useRunsStore } from '@/stores/runs'
import PlainLog from './PlainLog.vue'
import type { TrialResult, Variant } from './trial'

/**
 * The bench page (bench/log-view.ts drives it in Chromium): the wizard's Mirror log as the app
 * builds it (the runs store fed with engine log events, VirtualLog bound to its revision), or
 * the plain every-line-in-the-DOM list beside it, fed at a fixed rate while frames are timed.
 */

let mounted: App | null = null
let nextRun = 0

function mountLog(variant: Variant): ReturnType<typeof useRunsStore> {
  mounted?.unmount()
  const pinia = createPinia()
  const app = createApp(
    defineComponent({
      setup() {
        const runs = useRunsStore()
        return () =>
          h(variant === 'virtual' ? VirtualLog : PlainLog, {
            buffer: runs.logOf('mirror'),
            revision: runs.logRevision.mirror ?? 0,
            height: 300,
          })
      },
    }),
  )
  app.use(pinia)
  app.mount('#app')
  mounted = app
  return useRunsStore(pinia)
}

const nextFrame = (): Promise<number> => new Promise((resolve) => requestAnimationFrame(resolve))

function lineText(n: number): string {
  return `Downloading: https://files.pythonhosted.org/packages/${(n * 2654435761).toString(16).slice(0, 8)}/example_project_${n % 997}-1.${n % 31}.0-py3-none-any.whl`
}

/** Line `n` of the sync's log reaches the store as an engine event, as IPC delivers them. */
function logLine(runs: ReturnType<typeof useRunsStore>, runId: string, n: number): void {
  runs.onRunEvent(runId, 'mirror', {
    type: 'log',
    step: 'sync',
    stream: 'stdout',
    line: lineText(n),
  })
}

function shownLines(): number {
  return Number(document.querySelector('[data-lines]')?.getAttribute('data-lines') ?? 0)
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0
}

/** Times frames (requestAnimationFrame to requestAnimationFrame) while `during` runs. */
async function timeFrames(seconds: number, everyFrame: () => void = () => undefined) {
  const intervals: number[] = []
  let last = await nextFrame()
  const end = last + seconds * 1000
  while (last < end) {
    everyFrame()
    const now = await nextFrame()
    intervals.push(now - last)
    last = now
  }
  return intervals
}

/** Lines arrive at `rate` per second (as engine events reach the store), for `seconds`. */
async function feedAtRate(
  variant: Variant,
  rate: number,
  seconds: number,
  preload = 0,
): Promise<TrialResult> {
  const runs = mountLog(variant)
  const runId = `bench-${nextRun++}`
  for (let n = 0; n < preload; n++) logLine(runs, runId, n)
  await nextFrame()
  await nextFrame()
  let fed = 0
  const started = performance.now()
  const feeder = setInterval(() => {
    const due = Math.floor((rate * (performance.now() - started)) / 1000)
    for (; fed < due; fed++) logLine(runs, runId, preload + fed)
  }, 5)
  const intervals = await timeFrames(seconds)
  clearInterval(feeder)
  await nextFrame()
  await nextFrame()
  return {
    frames: intervals.length,
    p95FrameMs: percentile(intervals, 0.95),
    maxFrameMs: Math.max(...intervals),
    fed: preload + fed,
    // Past the log's capacity the oldest lines drop off the front; the view shows the rest.
    shown: shownLines() + runs.logOf('mirror').droppedCount,
  }
}

/** A log already `lines` long: how soon it shows, then frames while it is scrolled about. */
async function scrollBigLog(variant: Variant, lines: number, seconds: number) {
  const runs = mountLog(variant)
  const runId = `bench-${nextRun++}`
  await nextFrame()
  const loaded = performance.now()
  for (let n = 0; n < lines; n++) logLine(runs, runId, n)
  await nextFrame()
  const firstFrameMs = performance.now() - loaded
  const scroller = document.querySelector<HTMLElement>('[data-lines]')
  let step = 0
  const intervals = await timeFrames(seconds, () => {
    if (!scroller) return
    step = (step + 7919) % lines
    scroller.scrollTop = step * 18
    scroller.dispatchEvent(new Event('scroll'))
  })
  return {
    frames: intervals.length,
    p95FrameMs: percentile(intervals, 0.95),
    maxFrameMs: Math.max(...intervals),
    fed: lines,
    shown: shownLines(),
    firstFrameMs,
  }
}

Object.assign(globalThis, { feedAtRate, scrollBigLog })
