import type { WebPreferences } from 'electron'

/**
 * The security settings every window gets. Electron-free (type import only) so tests can
 * assert the values without starting Electron.
 */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
} as const satisfies WebPreferences

const PAGE_POLICY_DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
]

/**
 * The policy as a <meta http-equiv> in src-renderer/index.html, which covers the built file://
 * page. `frame-ancestors` is left out: browsers ignore it in a <meta> and log a console error.
 * A unit test keeps index.html equal to this.
 */
export const CONTENT_SECURITY_POLICY_META = PAGE_POLICY_DIRECTIVES.join('; ')

/** The policy as a response header, for pages from the dev server. */
export const CONTENT_SECURITY_POLICY_HEADER = [
  ...PAGE_POLICY_DIRECTIVES,
  "frame-ancestors 'none'",
].join('; ')
