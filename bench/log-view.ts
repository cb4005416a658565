/**
 * The wizard's live log (runs store + VirtualLog, as the Mirror page uses them) in Debian's
 * Chromium beside a plain list that puts every line in the DOM: the highest rate of log lines
 * each takes while 95% of frames stay under 50 ms and every line fed is shown; then a
 * 100,000-line log loaded at once and scrolled about. Run: npm run bench -- log-view
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import vue from '@vitejs/plugin-vue'
import { chromium, type Page } from 'playwright-core'
import { build } from 'vite'
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../test/e2e/harness'
import { serveDirectory } from '../test/e2e/static-server'
import type { TrialResult, Variant } from './log-view/trial'

const RATES = [1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000]
const SECONDS = 4
const FRAME_BUDGET_MS = 50
const VARIANTS: Variant[] = ['virtual', 'plain']
const NAMES: Record<Variant, string> = {
  virtual: 'VirtualLog (the app)',
  plain: 'every line in the DOM',
}

async function buildPage(outDir: string): Promise<void> {
  const root = resolve(import.meta.dirname, 'log-view')
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    plugins: [vue()],
    resolve: { alias: { '@': resolve(import.meta.dirname, '../src-renderer/src') } },
    build: { outDir, emptyOutDir: true },
  })
}

const feed = (page: Page, variant: Variant, rate: number, preload = 0): Promise<TrialResult> =>
  page.evaluate(
    ([v, r, s, p]) =>
      (
        globalThis as unknown as {
          feedAtRate(v: Variant, r: number, s: number, p: number): Promise<TrialResult>
        }
      ).feedAtRate(v, r, s, p),
    [variant, rate, SECONDS, preload] as const,
  )

const scroll = (page: Page, variant: Variant, lines: number): Promise<TrialResult> =>
  page.evaluate(
    ([v, n, s]) =>
      (
        globalThis as unknown as {
          scrollBigLog(v: Variant, n: number, s: number): Promise<TrialResult>
        }
      ).scrollBigLog(v, n, s),
    [variant, lines, SECONDS] as const,
  )

const keepsUp = (t: TrialResult): boolean => t.p95FrameMs < FRAME_BUDGET_MS && t.shown === t.fed
const ms = (value: number): string => `${value.toFixed(0)} ms`

async function main(): Promise<void> {
  const outDir = await mkdtemp(join(tmpdir(), 'pmw-bench-log-view-'))
  await buildPage(outDir)
  const server = await serveDirectory(outDir)
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS })
  const rows: string[] = []
  const best = new Map<Variant, number>(VARIANTS.map((v) => [v, 0]))
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 760 } })
    await page.goto(server.url)
    const failing = new Set<Variant>()
    // Side by side at each rate, so a burst of load on this shared machine hits both alike.
    for (const rate of RATES) {
      for (const variant of VARIANTS) {
        if (failing.has(variant)) continue
        const trial = await feed(page, variant, rate)
        const ok = keepsUp(trial)
        if (ok) best.set(variant, rate)
        else failing.add(variant)
        rows.push(
          `| ${NAMES[variant]} | ${rate.toLocaleString('en')} | ${ms(trial.p95FrameMs)} | ${ms(trial.maxFrameMs)} | ${trial.shown.toLocaleString('en')} of ${trial.fed.toLocaleString('en')} | ${ok ? 'yes' : 'no'} |`,
        )
      }
      if (failing.size === VARIANTS.length) break
    }
    // A sync of a large mirror logs past the log's 500,000-line capacity: the oldest lines
    // drop off, and appending must cost no more than before.
    const full = await feed(page, 'virtual', best.get('virtual') ?? RATES[0] ?? 1_000, 500_000)
    const pastCapacity = `| VirtualLog, already holding 500,000 lines (its capacity) | ${(best.get('virtual') ?? 0).toLocaleString('en')} | ${ms(full.p95FrameMs)} | ${ms(full.maxFrameMs)} | ${full.shown.toLocaleString('en')} of ${full.fed.toLocaleString('en')} | ${keepsUp(full) ? 'yes' : 'no'} |`
    const big: string[] = []
    for (const variant of VARIANTS) {
      const trial = await scroll(page, variant, 100_000)
      big.push(
        `| ${NAMES[variant]} | ${ms(trial.firstFrameMs ?? 0)} | ${ms(trial.p95FrameMs)} | ${ms(trial.maxFrameMs)} |`,
      )
    }
    console.log(
      `Lines fed for ${SECONDS} s at each rate; kept up = p95 frame < ${FRAME_BUDGET_MS} ms and every line shown.\n`,
    )
    console.log('| log view | lines/s | p95 frame | worst frame | lines shown | kept up |')
    console.log('| --- | --- | --- | --- | --- | --- |')
    for (const row of rows) console.log(row)
    console.log(pastCapacity)
    const [virtual, plain] = VARIANTS.map((v) => best.get(v) ?? 0)
    console.log(
      `\nHighest rate kept up: ${virtual?.toLocaleString('en')} lines/s (VirtualLog) vs ${plain?.toLocaleString('en')} lines/s (every line in the DOM): ${plain ? `${((virtual ?? 0) / plain).toFixed(0)}×` : 'the plain list kept up with none'}.\n`,
    )
    console.log('100,000 lines loaded at once, then scrolled to a new place every frame:\n')
    console.log('| log view | first frame | p95 frame while scrolling | worst frame |')
    console.log('| --- | --- | --- | --- |')
    for (const row of big) console.log(row)
  } finally {
    await browser.close()
    await server.close()
    await rm(outDir, { recursive: true, force: true })
  }
}

await main()
