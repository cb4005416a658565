import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { BrowserWindowConstructorOptions } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import {
  CONTENT_SECURITY_POLICY_HEADER,
  CONTENT_SECURITY_POLICY_META,
  SECURE_WEB_PREFERENCES,
} from '../../src-main/electron/security-policy'

const ROOT = join(import.meta.dirname, '../..')
const SECURE_WINDOW_FILE = 'src-main/electron/secure-window.ts'

/** A BrowserWindow stand-in that records what createSecureWindow does to it. */
const electron = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => unknown
  const windows: FakeBrowserWindow[] = []
  const session = {
    headerListener: undefined as Listener | undefined,
    permissionRequestHandler: undefined as Listener | undefined,
    webRequest: {
      onHeadersReceived(listener: Listener) {
        session.headerListener = listener
      },
    },
    setPermissionRequestHandler(handler: Listener) {
      session.permissionRequestHandler = handler
    },
    setPermissionCheckHandler() {},
  }
  class FakeBrowserWindow {
    readonly listeners = new Map<string, Listener>()
    windowOpenHandler: Listener | undefined
    readonly webContents = {
      session,
      on: (name: string, listener: Listener) => this.listeners.set(name, listener),
      setWindowOpenHandler: (handler: Listener) => {
        this.windowOpenHandler = handler
      },
    }
    constructor(readonly options: BrowserWindowConstructorOptions) {
      windows.push(this)
    }
    once() {}
    show() {}
  }
  return { windows, session, FakeBrowserWindow }
})

vi.mock('electron', () => ({ BrowserWindow: electron.FakeBrowserWindow }))

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return /\.(ts|js|mjs|cjs|vue)$/.test(entry.name) ? [path] : []
  })
}

const mainSources = sourceFiles(join(ROOT, 'src-main')).map((path) => ({
  file: relative(ROOT, path),
  text: readFileSync(path, 'utf8'),
}))

describe('windows are created only by createSecureWindow', () => {
  it('has `new BrowserWindow` in secure-window.ts, once, and nowhere else', () => {
    const constructions = mainSources.flatMap(({ file, text }) =>
      [...text.matchAll(/new\s+(?:[\w$]+\s*\.\s*)*BrowserWindow\b/g)].map(() => file),
    )
    expect(constructions).toEqual([SECURE_WINDOW_FILE])
  })

  it('never renames BrowserWindow or creates other kinds of web views', () => {
    const offenders = mainSources.filter(({ text }) =>
      /\bBrowserWindow\s+as\s+\w|new\s+(?:[\w$]+\s*\.\s*)*(?:BrowserView|WebContentsView)\b|Reflect\.construct\(/.test(
        text,
      ),
    )
    expect(offenders.map(({ file }) => file)).toEqual([])
  })

  it('never sets a secure web preference to another value anywhere in src-main', () => {
    const offenders = mainSources.flatMap(({ file, text }) =>
      Object.entries(SECURE_WEB_PREFERENCES).flatMap(([key, value]) => {
        const weakened = new RegExp(`\\b${key}\\s*:\\s*(?!${String(value)}\\b)[\\w$]`)
        return weakened.test(text) ? [`${file}: ${key}`] : []
      }),
    )
    expect(offenders).toEqual([])
  })
})

describe('the secure web preferences', () => {
  it('isolate, sandbox and lock down the renderer', () => {
    expect(SECURE_WEB_PREFERENCES).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    })
  })
})

describe('createSecureWindow', async () => {
  const { createSecureWindow } = await import('../../src-main/electron/secure-window')
  createSecureWindow({ title: 'test', preloadPath: '/app/out/preload/index.cjs' })
  const window = electron.windows.at(-1)
  if (!window) throw new Error('createSecureWindow created no window')

  it('passes exactly the secure preferences plus the preload', () => {
    expect(window.options.webPreferences).toEqual({
      ...SECURE_WEB_PREFERENCES,
      preload: '/app/out/preload/index.cjs',
    })
  })

  it('refuses navigation and new windows', () => {
    const preventDefault = vi.fn()
    window.listeners.get('will-navigate')?.({ preventDefault }, 'https://example.com/')
    expect(preventDefault).toHaveBeenCalledOnce()
    expect(window.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' })
  })

  it('adds the CSP header to http(s) responses only', () => {
    const respond = vi.fn()
    electron.session.headerListener?.(
      { url: 'http://localhost:5173/', responseHeaders: {} },
      respond,
    )
    expect(respond).toHaveBeenLastCalledWith({
      responseHeaders: { 'Content-Security-Policy': [CONTENT_SECURITY_POLICY_HEADER] },
    })
    electron.session.headerListener?.(
      { url: 'file:///app/index.html', responseHeaders: {} },
      respond,
    )
    expect(respond).toHaveBeenLastCalledWith({})
  })

  it('denies every permission request', () => {
    const decide = vi.fn()
    electron.session.permissionRequestHandler?.({}, 'media', decide)
    expect(decide).toHaveBeenCalledWith(false)
  })
})

describe('the Content-Security-Policy', () => {
  const html = readFileSync(join(ROOT, 'src-renderer/index.html'), 'utf8')
  const metas = [
    ...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/gi),
  ]

  it('is in index.html as exactly one <meta>, equal to the policy in security-policy.ts', () => {
    expect(metas).toHaveLength(1)
    expect(metas[0]?.[1]).toBe(CONTENT_SECURITY_POLICY_META)
  })

  it('allows no eval and no inline scripts', () => {
    for (const policy of [CONTENT_SECURITY_POLICY_META, CONTENT_SECURITY_POLICY_HEADER]) {
      expect(policy).not.toContain("'unsafe-eval'")
      expect(policy).toMatch(/script-src 'self'(;|$)/)
      expect(policy).toContain("object-src 'none'")
      expect(policy).toContain("base-uri 'none'")
    }
    expect(CONTENT_SECURITY_POLICY_HEADER).toContain("frame-ancestors 'none'")
  })
})
