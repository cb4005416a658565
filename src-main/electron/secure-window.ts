import { BrowserWindow, type Session } from 'electron'
import { CONTENT_SECURITY_POLICY_HEADER, SECURE_WEB_PREFERENCES } from './security-policy'

export interface SecureWindowOptions {
  title: string
  /** Absolute path of the built preload (CommonJS: sandboxed preloads cannot be ES modules). */
  preloadPath: string
  width?: number
  height?: number
}

/** The only place a BrowserWindow is created (test/unit/secure-window.test.ts enforces it). */
export function createSecureWindow(options: SecureWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    title: options.title,
    width: options.width ?? 1100,
    height: options.height ?? 760,
    minWidth: 760,
    minHeight: 520,
    show: false,
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: options.preloadPath },
  })
  hardenSession(window.webContents.session)
  // The renderer routes with URL hashes, which are not navigations: anything that is, is refused.
  window.webContents.on('will-navigate', (event) => event.preventDefault())
  window.webContents.on('will-attach-webview', (event) => event.preventDefault())
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
  window.once('ready-to-show', () => window.show())
  return window
}

const hardenedSessions = new WeakSet<Session>()

function hardenSession(session: Session): void {
  if (hardenedSessions.has(session)) return
  hardenedSessions.add(session)
  // Pages from the dev server get the policy as a header here; the built app:// page has the
  // <meta>, and the header from its protocol handler (app-protocol.ts).
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!/^https?:/.test(details.url)) {
      callback({})
      return
    }
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY_HEADER],
      },
    })
  })
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}
