/**
 * Loopback names and addresses. From inside an OpenLambda sandbox they reach the sandbox itself,
 * never the mirror host, whatever they reach from the worker host's shell.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase()
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare)) return true
  if (bare === '::1' || bare === '0:0:0:0:0:0:0:1') return true
  if (/^::ffff:127\./.test(bare)) return true
  return bare === '0.0.0.0' || bare === '::'
}

/** The host part of an http(s) URL, without brackets; '' when the URL does not parse. */
export function urlHost(url: string): string {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '')
  } catch {
    return ''
  }
}
