import { nginxAccessLog } from '../config/nginx-site'
import type { Connect } from '../fleet'
import type { Site } from '#shared/site'
import type { RemoteHost } from '../ssh/remote-host'
import accessLogScript from './scripts/access-log.sh?raw'

/** One request as nginx's combined log format records it. */
export interface AccessLogLine {
  client: string
  method: string
  path: string
  status: number
  bytes: number
  userAgent: string
  line: string
}

const COMBINED = /^(\S+) \S+ \S+ \[[^\]]*\] "(\S+) (\S+)[^"]*" (\d{3}) (\d+|-) "[^"]*" "([^"]*)"/

export function parseAccessLog(text: string): AccessLogLine[] {
  return text.split('\n').flatMap((line) => {
    const m = COMBINED.exec(line)
    return m
      ? [
          {
            client: m[1] as string,
            method: m[2] as string,
            path: m[3] as string,
            status: Number(m[4]),
            bytes: m[5] === '-' ? 0 : Number(m[5]),
            userAgent: m[6] as string,
            line,
          },
        ]
      : []
  })
}

/** The mirror's own access log (the site's `access_log`), read over SSH on the mirror host. */
export interface MirrorAccessLog {
  /** `root@10.0.0.5:22:/var/log/nginx/pip-mirror-8080.access.log` */
  where: string
  size(): Promise<number>
  since(offset: number): Promise<AccessLogLine[]>
}

/**
 * Opens the mirror host once for every worker's proof; `close` ends that connection. The log is
 * root's: it is read with sudo, and never written.
 */
export function mirrorAccessLog(
  site: Site,
  connect: Connect,
): { log: MirrorAccessLog; close(): void } {
  const path = nginxAccessLog(site.mirror.serve.listen)
  let host: Promise<RemoteHost> | null = null
  const open = () => (host ??= connect(site.mirror.ssh))
  const run = async (args: string[]) => {
    const mirror = await open()
    return mirror.readScript(accessLogScript, args, { sudo: true, quiet: true })
  }
  const { user, host: address, port } = site.mirror.ssh
  return {
    log: {
      where: `${user}@${address}:${port}:${path}`,
      size: async () => Number((await run(['size', path])).stdout.trim()) || 0,
      since: async (offset) => parseAccessLog((await run(['since', path, String(offset)])).stdout),
    },
    close() {
      void host?.then((h) => h.close()).catch(() => undefined)
    },
  }
}
