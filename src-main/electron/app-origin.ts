/** Where the app's own page is loaded from: the built file, or the dev server during `npm run dev`. */
export interface AppPageLocation {
  rendererFileUrl: string
  devServerUrl?: string
}

/** True when `frameUrl` is the app's own page; IPC from any other frame is refused. */
export function isAppPageUrl(frameUrl: string, location: AppPageLocation): boolean {
  const frame = parseUrl(frameUrl)
  if (!frame) return false
  if (frame.protocol === 'file:') {
    const page = parseUrl(location.rendererFileUrl)
    return page !== null && withoutHashOrQuery(frame) === withoutHashOrQuery(page)
  }
  if (location.devServerUrl && (frame.protocol === 'http:' || frame.protocol === 'https:')) {
    const devServer = parseUrl(location.devServerUrl)
    return devServer !== null && frame.origin === devServer.origin
  }
  return false
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
