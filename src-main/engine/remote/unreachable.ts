/**
 * What a failed network tool on the host could not reach, read from its own output: apt-get,
 * pip, uv and bandersnatch (aiohttp) each say it differently, in the middle of pages of
 * output. Pure text in, one sentence out, so the error names what was unreachable, and how.
 */
export interface Unreachable {
  /** What the host tried to reach: a host name, or an URL's host and port. */
  target: string
  /** The proxy it went through, when the output (or the command line) names one. */
  proxy: string | null
  /** "connection refused", "no answer (timed out)", ... */
  reason: string
}

export interface UnreachableContext {
  /** The proxy the command was given (pip's --proxy, HTTP_PROXY=, bandersnatch's `proxy`). */
  proxy?: string | null
  /** What the command talks to when its output does not say (bandersnatch's upstream). */
  upstream?: string
}

const REASONS: [RegExp, string][] = [
  [/Connection refused|Errno 111\]|os error 111|Connect call failed/i, 'connection refused'],
  [/timed? ?out|os error 110|Errno 110\]/i, 'no answer (timed out)'],
  [
    /Temporary failure (?:in name )?resolv|Could not resolve|Name or service not known|failed to lookup address|No address associated/i,
    'its name does not resolve (no DNS)',
  ],
  [/Network is unreachable|os error 101|Errno 101\]/i, 'no route to it (network unreachable)'],
  [/No route to host|os error 113|Errno 113\]/i, 'no route to it'],
  [
    /Connection reset|Server ?Disconnected|Connection broken|RemoteDisconnected|connection closed before/i,
    'the connection was cut',
  ],
]

function reasonIn(text: string): string | null {
  return REASONS.find(([pattern]) => pattern.test(text))?.[1] ?? null
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

function sameEndpoint(a: string, b: string): boolean {
  const strip = (v: string) =>
    hostOf(v.includes('://') ? v : `http://${v}`).replace(/:(80|443)$/, '')
  return strip(a) === strip(b)
}

/** `E: Failed to fetch http://deb.debian.org/...  Unable to connect to 10.0.0.1:3128:` */
function fromApt(text: string): Unreachable | null {
  const failed = /^[EW]: Failed to fetch (\S+)\s+(.*)$/m.exec(text)
  if (!failed) return null
  const target = hostOf(failed[1] as string)
  const detail = text.slice(failed.index)
  const connect =
    /(?:Unable to connect to|Could not connect to) \[?([^\s\]]+?)\]?(?::\s|\s\(|:$)/m.exec(detail)
  const via = connect?.[1] ?? null
  const reason =
    reasonIn(detail) ??
    (/Unable to connect|Could not connect/.test(detail) ? 'connection refused' : null) ??
    ((failed[2] as string).trim() || 'failed')
  return { target, proxy: via && !sameEndpoint(via, target) ? via : null, reason }
}

/** pip (urllib3): `connection broken by 'ProxyError(...Connection refused)'`, `HTTPSConnectionPool(host=...)`. */
function fromPip(text: string, context: UnreachableContext): Unreachable | null {
  const pool = /HTTPS?ConnectionPool\(host='([^']+)', port=(\d+)\)/.exec(text)
  if (!pool && !/connection broken by '/.test(text)) return null
  const reason = reasonIn(text) ?? 'failed'
  const viaProxy = /ProxyError|Unable to connect to proxy|Cannot connect to proxy/.test(text)
  const target = pool
    ? `${pool[1]}${pool[2] === '443' || pool[2] === '80' ? '' : `:${pool[2]}`}`
    : context.upstream
      ? hostOf(context.upstream)
      : 'pypi.org'
  return { target, proxy: viaProxy ? (context.proxy ?? 'its proxy') : null, reason }
}

/** uv: ``Failed to fetch: `http://.../simple/flask/` `` then `Caused by:` lines. */
function fromUv(text: string, context: UnreachableContext): Unreachable | null {
  const failed = /Failed to (?:fetch|download)\S*:? `?(https?:\/\/[^`\s]+)`?/.exec(text)
  if (!failed) return null
  const reason = reasonIn(text.slice(failed.index))
  if (!reason) return null
  return { target: hostOf(failed[1] as string), proxy: context.proxy ?? null, reason }
}

/** bandersnatch: `ClientProxyConnectionError: Cannot connect to host 10.0.0.1:3128 ssl:default [...]`. */
function fromAiohttp(text: string, context: UnreachableContext): Unreachable | null {
  const viaProxy = /ClientProxyConnectionError: Cannot connect to host (\S+?) ssl/.exec(text)
  const direct = /ClientConnectorError: Cannot connect to host (\S+?) ssl/.exec(text)
  const other =
    /(ServerDisconnectedError|ClientOSError|ServerTimeoutError|ConnectionTimeoutError)/.exec(text)
  if (!viaProxy && !direct && !other) return null
  const upstream = context.upstream ? hostOf(context.upstream) : 'the upstream'
  if (viaProxy)
    return {
      target: upstream,
      proxy: viaProxy[1] as string,
      reason: reasonIn(text) ?? 'connection refused',
    }
  if (direct)
    return {
      target: direct[1] as string,
      proxy: null,
      reason: reasonIn(text) ?? 'connection refused',
    }
  return {
    target: upstream,
    proxy: context.proxy ?? null,
    reason: reasonIn(text) ?? 'the connection was cut',
  }
}

/** The first thing the output says could not be reached, or null when it is not a network failure. */
export function findUnreachable(
  output: string,
  context: UnreachableContext = {},
): Unreachable | null {
  return (
    fromApt(output) ??
    fromAiohttp(output, context) ??
    fromUv(output, context) ??
    fromPip(output, context)
  )
}

/** "could not reach deb.debian.org through the proxy 10.0.0.1:3128: connection refused" */
export function describeUnreachable(u: Unreachable): string {
  const via = u.proxy
    ? ` through the proxy ${hostOf(u.proxy.includes('://') ? u.proxy : `http://${u.proxy}`)}`
    : ''
  return `could not reach ${u.target}${via}: ${u.reason}`
}

export function unreachableHint(u: Unreachable): string {
  return u.proxy
    ? `check that the proxy ${u.proxy} runs and lets this host reach ${u.target}, then apply again (finished steps are not repeated)`
    : `check the host's network, DNS and firewall for ${u.target} (or set "proxy" in the site), then apply again`
}

/** The index a pip command line names (`--index-url URL`), else null (pip's default, pypi.org). */
export function indexInArgv(argv: readonly string[]): string | null {
  const flag = argv.findIndex((arg) => arg === '--index-url' || arg === '-i')
  return flag >= 0 && argv[flag + 1] ? (argv[flag + 1] as string) : null
}

/** The proxy a command line was given: pip's `--proxy URL`, or `HTTP(S)_PROXY=URL` through env. */
export function proxyInArgv(argv: readonly string[]): string | null {
  const flag = argv.indexOf('--proxy')
  if (flag >= 0 && argv[flag + 1]) return argv[flag + 1] as string
  const env = argv.find((arg) => /^https?_proxy=/i.test(arg))
  return env ? env.slice(env.indexOf('=') + 1) : null
}
