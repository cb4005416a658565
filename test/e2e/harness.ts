import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type Page } from 'playwright-core'
import { build } from 'vite'
import type { EmitEvent, EventChannel, EventPayload } from '#shared/ipc/contract'
import { AppSession, type AppSessionOptions } from '../../src-main/app/app-session'
import { dispatchInvoke } from '../../src-main/electron/dispatch'
import { createHandlers, type HandlerDeps } from '../../src-main/electron/handlers'
import { HARNESS_DELIVER_EVENT, HARNESS_INVOKE } from './fake-electron-renderer'
import { serveDirectory } from './static-server'

const PROJECT_ROOT = resolve(import.meta.dirname, '../..')
export const OUT_DIR = join(PROJECT_ROOT, 'out')
const RENDERER_DIR = join(OUT_DIR, 'renderer')
const SCREENSHOT_DIR = join(import.meta.dirname, 'screenshots')

export const CHROMIUM_PATH = '/usr/bin/chromium'
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]
const VIEWPORT = { width: 1100, height: 760 }

export interface OpenAppOptions {
  /** Overrides for the handlers' dependencies; `emit` and `session` are always the harness's own. */
  deps?: Partial<Omit<HandlerDeps, 'emit' | 'session'>>
  /**
   * The app session behind the handlers, as main.ts makes it. Without a `dataDir` it gets a
   * temporary one, removed on close; pass one to reopen the app on the same saved progress.
   */
  session?: Partial<Omit<AppSessionOptions, 'emit'>>
  /** Hash route to open, e.g. `/serve`. */
  route?: string
}

export interface OpenedApp {
  page: Page
  session: AppSession
  dataDir: string
  /** Console errors, uncaught page errors and failed requests seen so far. */
  problems: string[]
  /** Sends an event to the page exactly as the handlers' emitter would. */
  emit: EmitEvent
  /** Saves a PNG under test/e2e/screenshots/; the window grows to show the whole page. */
  screenshot(name: string): Promise<string>
  close(): Promise<void>
}

/**
 * Opens the built renderer in Debian's Chromium with `window.pipMirror` wired to the real
 * Electron-free handler table in this Node process, through the real preload bundled against a
 * stand-in `electron` module (fake-electron-renderer.ts).
 */
export async function openApp(options: OpenAppOptions = {}): Promise<OpenedApp> {
  ensureBuilt()
  const [preloadScript, server, userDataDir] = await Promise.all([
    bundlePreloadForPage(),
    serveDirectory(RENDERER_DIR),
    mkdtemp(join(tmpdir(), 'pip-mirror-e2e-')),
  ])
  const ownDataDir = options.session?.dataDir === undefined
  const dataDir = options.session?.dataDir ?? (await mkdtemp(join(tmpdir(), 'pip-mirror-data-')))
  const context = await chromium
    .launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: VIEWPORT,
    })
    .catch(async (error: unknown) => {
      await server.close()
      await rm(userDataDir, { recursive: true, force: true })
      if (ownDataDir) await rm(dataDir, { recursive: true, force: true })
      throw error
    })
  const page = context.pages()[0] ?? (await context.newPage())
  const problems = watchForProblems(page)

  // Events are delivered in order, and before the response of the invoke that emitted them,
  // as Electron's single IPC pipe would.
  let deliveries = Promise.resolve()
  const emit: EmitEvent = (channel, payload) => {
    deliveries = deliveries
      .then(() => deliverEvent(page, channel, payload))
      .catch((error: unknown) => {
        problems.push(`event ${channel} not delivered: ${String(error)}`)
      })
  }
  const session = await AppSession.open({
    ...options.session,
    dataDir,
    emit: (event) => emit('session:event', event),
  })
  const handlers = createHandlers({ appVersion: 'test', ...options.deps, emit, session })
  await page.exposeFunction(HARNESS_INVOKE, async (channel: unknown, request: unknown) => {
    const result = await dispatchInvoke(handlers, channel, request)
    await deliveries
    return result
  })
  await page.addInitScript({ content: preloadScript })
  await page.goto(`${server.url}index.html#${options.route ?? '/'}`)

  return {
    page,
    session,
    dataDir,
    problems,
    emit,
    async screenshot(name) {
      if (!/^[\w.-]+$/.test(name)) throw new Error(`Screenshot names are plain file names: ${name}`)
      await mkdir(SCREENSHOT_DIR, { recursive: true })
      const path = join(SCREENSHOT_DIR, `${name}.png`)
      await screenshotWholePage(page, path)
      return path
    },
    async close() {
      await session.dispose()
      await context.close()
      await server.close()
      await rm(userDataDir, { recursive: true, force: true })
      if (ownDataDir) await rm(dataDir, { recursive: true, force: true })
    },
  }
}

/** The app scrolls inside <main>, so a full-page shot would cut it: grow the window to fit it. */
async function screenshotWholePage(page: Page, path: string): Promise<void> {
  const hidden = await page.evaluate(() => {
    type Scrolling = { scrollHeight: number; clientHeight: number }
    const doc = (
      globalThis as unknown as { document: { querySelector(s: string): Scrolling | null } }
    ).document
    const main = doc.querySelector('main')
    return main ? main.scrollHeight - main.clientHeight : 0
  })
  const height = Math.min(VIEWPORT.height + Math.max(0, hidden), 3000)
  await page.setViewportSize({ width: VIEWPORT.width, height })
  try {
    await page.screenshot({ path, fullPage: true, animations: 'disabled' })
  } finally {
    await page.setViewportSize(VIEWPORT)
  }
}

/** The test command builds first; this only covers running the e2e project on a fresh checkout. */
export function ensureBuilt(): void {
  const outputs = ['main/index.js', 'preload/index.cjs', 'renderer/index.html']
  if (outputs.every((output) => existsSync(join(OUT_DIR, output)))) return
  execFileSync('npx', ['electron-vite', 'build'], { cwd: PROJECT_ROOT, stdio: 'inherit' })
}

let preloadBundle: Promise<string> | undefined

/** src-preload/index.ts as one classic script for the page, with `electron` swapped for the stand-in. */
function bundlePreloadForPage(): Promise<string> {
  preloadBundle ??= build({
    configFile: false,
    logLevel: 'silent',
    root: PROJECT_ROOT,
    resolve: { alias: { electron: join(import.meta.dirname, 'fake-electron-renderer.ts') } },
    build: {
      write: false,
      minify: false,
      lib: {
        entry: join(PROJECT_ROOT, 'src-preload/index.ts'),
        formats: ['iife'],
        name: 'pipMirrorPreload',
      },
    },
  }).then((output) => {
    const first = Array.isArray(output) ? output[0] : output
    const chunk = first && 'output' in first ? first.output[0] : undefined
    if (!chunk || chunk.type !== 'chunk')
      throw new Error('Bundling the preload for the page failed.')
    return chunk.code
  })
  return preloadBundle
}

async function deliverEvent<C extends EventChannel>(
  page: Page,
  channel: C,
  payload: EventPayload<C>,
): Promise<void> {
  await page.evaluate(
    ([deliverName, eventChannel, eventPayload]) => {
      const deliver = (globalThis as unknown as Record<string, unknown>)[deliverName]
      if (typeof deliver !== 'function') throw new Error('The preload stand-in is not installed.')
      deliver(eventChannel, eventPayload)
    },
    [HARNESS_DELIVER_EVENT, channel, payload] as const,
  )
}

function watchForProblems(page: Page): string[] {
  const problems: string[] = []
  page.on('console', (message) => {
    if (message.type() !== 'error') return
    const where = message.location().url
    problems.push(`console error: ${message.text()}${where ? ` (${where})` : ''}`)
  })
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('requestfailed', (request) =>
    problems.push(
      `request failed: ${request.url()} (${request.failure()?.errorText ?? 'unknown'})`,
    ),
  )
  return problems
}
