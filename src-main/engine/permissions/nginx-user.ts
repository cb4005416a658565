import type { RemoteHost } from '../ssh/remote-host'
import type { Accessor } from './mode-bits'
import nginxUserScript from './scripts/nginx-user.sh?raw'

export type NginxUserSource = 'worker process' | 'nginx.conf' | 'distribution default'

export interface NginxUser extends Accessor {
  /** The primary group the workers run with. */
  gid: number
  source: NginxUserSource
}

export interface NginxProcess {
  /** The system nginx's master (from its pid file) is alive. */
  running: boolean
  masterPid: number | null
  pidFile: string
  /** null when no account of that name exists on the host (nginx not installed?). */
  user: NginxUser | null
  /** The name that was looked for, even when no account has it. */
  userName: string
}

/** Finds the system nginx and the identity of its worker processes (see the script). */
export const NGINX_USER_SCRIPT: string = nginxUserScript

function parseKeyValues(text: string): Map<string, string> {
  const values = new Map<string, string>()
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=')
    if (eq > 0) values.set(line.slice(0, eq), line.slice(eq + 1).trim())
  }
  return values
}

function numbers(text: string): number[] {
  return text
    .split(/\s+/)
    .filter((word) => /^\d+$/.test(word))
    .map(Number)
}

/** www-data on Debian and Ubuntu; nginx on RHEL-likes, SUSE and Alpine. */
export function distributionNginxUser(osId: string, like: readonly string[]): string {
  const family = [osId, ...like]
  const nginxNamed = [
    'rhel',
    'fedora',
    'centos',
    'rocky',
    'almalinux',
    'suse',
    'opensuse',
    'alpine',
  ]
  return family.some((id) => nginxNamed.includes(id)) ? 'nginx' : 'www-data'
}

export function parseNginxUser(text: string): NginxProcess {
  const values = parseKeyValues(text)
  const get = (key: string): string => values.get(key) ?? ''
  const masterPid = /^\d+$/.test(get('master_pid')) ? Number(get('master_pid')) : null
  const base = { running: masterPid !== null, masterPid, pidFile: get('pid_file') }

  const workerUid = get('worker_uid')
  if (/^\d+$/.test(workerUid)) {
    const gid = Number(get('worker_gid'))
    const gids = [...new Set([gid, ...numbers(get('worker_groups'))])]
    const name = get('worker_name') || `uid ${workerUid}`
    return {
      ...base,
      userName: name,
      user: { name, uid: Number(workerUid), gid, gids, source: 'worker process' },
    }
  }

  const confUser = get('conf_user')
  const source: NginxUserSource = confUser ? 'nginx.conf' : 'distribution default'
  const name =
    confUser || distributionNginxUser(get('os_id'), get('os_like').split(/\s+/).filter(Boolean))
  const ids = numbers(get(`ids_${name}`))
  const [uid, primary, ...groups] = ids
  if (uid === undefined || primary === undefined) return { ...base, userName: name, user: null }
  // `user name group;` makes the workers' primary group that group, plus name's own groups.
  const confGroupGid = /^\d+$/.test(get('conf_group_gid')) ? Number(get('conf_group_gid')) : null
  const gid = confUser && confGroupGid !== null ? confGroupGid : primary
  return {
    ...base,
    userName: name,
    user: { name, uid, gid, gids: [...new Set([gid, primary, ...groups])], source },
  }
}

export async function findNginxUser(host: RemoteHost): Promise<NginxProcess> {
  const result = await host.readScript(NGINX_USER_SCRIPT, [], { quiet: true })
  return parseNginxUser(result.stdout)
}
