/** Where the app's own page is loaded from: app:// (app-protocol.ts), or the dev server during `npm run dev`. */
export interface AppPageLocation {
  pageUrl: string
  devServerUrl?: string
}

/** True when `frameUrl` is the app's own page; IPC from any other frame is refused. */
export function isAppPageUrl(frameUrl: string, location: AppPageLocation): boolean {
  const frame = parseUrl(frameUrl)
  if (!frame) return false
  if (frame.protocol === 'http:' || frame.protocol === 'https:') {
    const devServer = location.devServerUrl ? parseUrl(location.devServerUrl) : null
    return devServer !== null && frame.origin === devServer.origin
  }
  const page = parseUrl(location.pageUrl)
  return page !== null && withoutHashOrQuery(frame) === withoutHashOrQuery(page)
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value)
  } catch {
    return null
  }
}

function withoutHashOrQuery(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`
}
