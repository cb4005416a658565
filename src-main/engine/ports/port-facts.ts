/** One listening TCP socket and one process that holds it. */
export interface Listener {
  /** As the kernel reports it: "0.0.0.0", "::" (every address), "127.0.0.1", "10.0.0.5" ... */
  address: string
  port: number
  /** null when the process could not be seen (only root sees every process's sockets). */
  pid: number | null
  process: string | null
}

/** A `listen` directive of nginx's running configuration, and the file it is in. */
export interface NginxListen {
  file: string
  /** null for every address (`listen 80;`, `listen [::]:80;`, `listen *:80;`). */
  address: string | null
  port: number
  defaultServer: boolean
}

export interface PortFacts {
  listeners: Listener[]
  defaultSite: {
    /** /etc/nginx/sites-enabled/default exists. */
    enabled: boolean
    /** It links to sites-available/default, unchanged since the package shipped it. */
    stock: boolean
  }
  /** From `nginx -T`; empty when nginx is not installed or its configuration does not load. */
  nginxListens: NginxListen[]
}

function sections(text: string): Map<string, string[]> {
  const result = new Map<string, string[]>()
  let current: string[] | null = null
  for (const line of text.split('\n')) {
    const header = /^--- (listeners|default-site|nginx-config)$/.exec(line)
    if (header) {
      current = []
      result.set(header[1] as string, current)
    } else current?.push(line)
  }
  return result
}

function parseListener(line: string): Listener | null {
  const [tag, address, port, pid, process] = line.trim().split(/\s+/)
  if (tag !== 'listen' || !address || !port || !Number.isInteger(Number(port))) return null
  return {
    address,
    port: Number(port),
    pid: pid && pid !== '-' ? Number(pid) : null,
    process: process && process !== '-' ? process : null,
  }
}

/** `listen` values as nginx reads them: `80`, `10.0.0.5:8080`, `[::]:80`, `*:80 default_server`. */
export function parseNginxListen(value: string, file: string): NginxListen | null {
  const [where = '', ...flags] = value.trim().split(/\s+/)
  if (where.startsWith('unix:')) return null
  const match = /^(?:(\[[^\]]+\]|[^:]+):)?(\d+)$/.exec(where)
  const bare = /^(\[[^\]]+\]|[0-9.]+|\*|[A-Za-z0-9.-]+)$/.exec(where)
  let address: string | null
  let port = 80
  if (match) {
    address = match[1] ?? null
    port = Number(match[2])
  } else if (bare) address = bare[1] as string
  else return null
  if (address === '*' || address === '[::]') address = null
  return { file, address, port, defaultServer: flags.includes('default_server') }
}

/** Every `listen` of `nginx -T` output, with the file it comes from. */
export function parseNginxConfigListens(text: string): NginxListen[] {
  const listens: NginxListen[] = []
  let file = ''
  for (const raw of text.split('\n')) {
    const header = /^# configuration file (.+):$/.exec(raw)
    if (header) {
      file = header[1] as string
      continue
    }
    const line = raw.replace(/#.*/, '')
    for (const directive of line.matchAll(/(?:^|[;{}\s])listen\s+([^;]+);/g)) {
      const listen = parseNginxListen(directive[1] as string, file)
      if (listen) listens.push(listen)
    }
  }
  return listens
}

export function parsePortFacts(text: string): PortFacts {
  const parts = sections(text)
  const defaults = new Map(
    (parts.get('default-site') ?? []).map((line) => line.split('=') as [string, string]),
  )
  return {
    listeners: (parts.get('listeners') ?? []).flatMap((line) => parseListener(line) ?? []),
    defaultSite: {
      enabled: defaults.get('enabled') === 'yes',
      stock: defaults.get('stock') === 'yes',
    },
    nginxListens: parseNginxConfigListens((parts.get('nginx-config') ?? []).join('\n')),
  }
}
