import { readFile } from 'node:fs/promises'
import { extname, isAbsolute, relative, resolve } from 'node:path'
import { CONTENT_SECURITY_POLICY_HEADER } from './security-policy'

/**
 * The page is served from `app://pip-mirror-wizard/` instead of `file://`: a `file://` page may
 * read any file:// URL it is given and gets extra privileges (Electron's security checklist,
 * "avoid the file protocol"). The handler serves only the files of the built renderer, and each
 * response carries the Content-Security-Policy. Electron-free, so unit tests run it under Node.
 */
export const APP_SCHEME = 'app'
export const APP_HOST = 'pip-mirror-wizard'
export const APP_PAGE_URL = `${APP_SCHEME}://${APP_HOST}/index.html`

/** How the scheme is registered before the app is ready (protocol.registerSchemesAsPrivileged). */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  // standard: parsed like http (origin, relative URLs); secure: a secure context like https.
  privileges: { standard: true, secure: true, supportFetchAPI: true },
} as const

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
}

/**
 * The file inside `rootDir` that an app:// URL names, or null when it names anything else: another
 * host, an encoded or literal `..` that climbs out, a backslash, a NUL, an unparsable URL.
 */
export function appFileFor(requestUrl: string, rootDir: string): string | null {
  let url: URL
  try {
    url = new URL(requestUrl)
  } catch {
    return null
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null
  let path: string
  try {
    path = decodeURIComponent(url.pathname)
  } catch {
    return null
  }
  if (path.includes('\0') || path.includes('\\')) return null
  const parts = path.split('/').filter(Boolean)
  if (parts.some((part) => part === '..' || part === '.')) return null
  const root = resolve(rootDir)
  const file = resolve(root, ...(parts.length > 0 ? parts : ['index.html']))
  const inside = relative(root, file)
  if (!inside || inside.startsWith('..') || isAbsolute(inside)) return null
  return file
}

/** The protocol handler: the renderer's own files, with the policy; 404 for anything else. */
export function appProtocolHandler(
  rootDir: string,
  read: (path: string) => Promise<Buffer> = readFile,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const file = request.method === 'GET' ? appFileFor(request.url, rootDir) : null
    const body = file ? await read(file).catch(() => null) : null
    if (!file || !body)
      return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } })
    return new Response(new Uint8Array(body), {
      status: 200,
      headers: {
        'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY_HEADER,
        'X-Content-Type-Options': 'nosniff',
      },
    })
  }
}
