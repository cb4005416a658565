import factsScript from './scripts/facts.sh?raw'
import { EngineError } from '../errors'
import type { RemoteHost } from '../ssh/remote-host'

export interface HostFacts {
  user: string
  uid: number
  os: { id: string; versionId: string; name: string; like: string[] }
  packageManager: 'apt-get' | 'dnf' | 'yum' | 'zypper' | 'apk' | null
  init: 'systemd' | 'other'
  python: { path: string; version: string; hasVenv: boolean } | null
  disk: { path: string; mount: string; freeBytes: number; totalBytes: number } | null
  nginx: {
    path: string | null
    installed: boolean
    running: boolean
    user: string
    userSource: 'worker process' | 'nginx.conf' | 'distribution default'
  }
  sudo: 'root' | 'sudo-nopasswd' | 'sudo-password' | 'none'
  ipv4: string[]
  hostname: string
}

/**
 * Everything the steps need to know about a host, gathered by one command in one round trip.
 * Output is `key=value` lines; every probe tolerates a missing tool.
 */
export const FACTS_SCRIPT: string = factsScript

function defaultNginxUser(osId: string, like: string[]): string {
  const family = [osId, ...like]
  if (
    family.some((id) =>
      ['rhel', 'fedora', 'centos', 'rocky', 'almalinux', 'suse', 'opensuse'].includes(id),
    )
  )
    return 'nginx'
  if (family.includes('alpine')) return 'nginx'
  return 'www-data'
}

export function parseFacts(text: string): HostFacts {
  const values = new Map<string, string>()
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=')
    if (eq > 0) values.set(line.slice(0, eq), line.slice(eq + 1).trim())
  }
  const get = (key: string): string => values.get(key) ?? ''
  if (!values.has('uid')) throw new EngineError('The host did not answer the facts probe')
  const like = get('os_like').split(/\s+/).filter(Boolean)
  const pm = get('package_manager')
  const pythonPath = get('python')
  const workerUser = get('nginx_worker_user')
  const confUser = get('nginx_conf_user')
  const nginxPath = get('nginx_path') || null
  const diskFree = Number(get('disk_free_kb'))
  const sudo = get('sudo')
  return {
    user: get('user'),
    uid: Number(get('uid')),
    hostname: get('hostname'),
    os: { id: get('os_id'), versionId: get('os_version'), name: get('os_name'), like },
    packageManager: (['apt-get', 'dnf', 'yum', 'zypper', 'apk'].includes(pm)
      ? pm
      : null) as HostFacts['packageManager'],
    init: get('init') === 'systemd' ? 'systemd' : 'other',
    python: pythonPath
      ? { path: pythonPath, version: get('python_version'), hasVenv: get('python_venv') === 'yes' }
      : null,
    disk:
      values.has('disk_free_kb') && Number.isFinite(diskFree)
        ? {
            path: get('disk_path'),
            mount: get('disk_mount'),
            freeBytes: diskFree * 1024,
            totalBytes: Number(get('disk_total_kb')) * 1024,
          }
        : null,
    nginx: {
      path: nginxPath,
      installed: !!nginxPath,
      running: get('nginx_running') === 'yes',
      user: workerUser || confUser || defaultNginxUser(get('os_id'), like),
      userSource: workerUser ? 'worker process' : confUser ? 'nginx.conf' : 'distribution default',
    },
    sudo: (['root', 'sudo-nopasswd', 'sudo-password', 'none'].includes(sudo)
      ? sudo
      : 'none') as HostFacts['sudo'],
    ipv4: get('ipv4').split(/\s+/).filter(Boolean),
  }
}

/** Gathers the host's facts in one round trip; `diskPath` is where the mirror will live. */
export async function probeFacts(host: RemoteHost, diskPath = '/'): Promise<HostFacts> {
  const result = await host.readScript(FACTS_SCRIPT, [diskPath], { quiet: true })
  return parseFacts(result.stdout)
}
