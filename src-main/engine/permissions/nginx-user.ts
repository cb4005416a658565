import type { RemoteHost } from '../ssh/remote-host'
import type { Accessor } from './mode-bits'

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

/**
 * Finds the system nginx (master from the pid file named in nginx.conf) and the identity of its
 * worker processes, read from /proc: the uid and the groups the kernel actually checks. Also
 * prints the `user` directive and the ids of the candidate accounts, for when nginx is not running.
 */
export const NGINX_USER_SCRIPT = `
conf=/etc/nginx/nginx.conf
kv() { printf '%s=%s\\n' "$1" "$2"; }
directive() { sed -n "s/^[[:space:]]*$1[[:space:]]\\{1,\\}\\([^;]*\\);.*/\\1/p" "$conf" 2>/dev/null | head -n1; }
pidfile=$(directive pid)
[ -n "$pidfile" ] || pidfile=/run/nginx.pid
kv pid_file "$pidfile"
master=
if [ -r "$pidfile" ]; then
  p=$(tr -dc 0-9 < "$pidfile")
  if [ -n "$p" ] && [ "$(cat "/proc/$p/comm" 2>/dev/null)" = nginx ]; then master=$p; fi
fi
kv master_pid "$master"
worker=
any_worker=
for d in /proc/[0-9]*; do
  [ "$(cat "$d/comm" 2>/dev/null)" = nginx ] || continue
  case "$(tr '\\0' ' ' < "$d/cmdline" 2>/dev/null)" in *"worker process"*) ;; *) continue ;; esac
  ppid=$(sed -n 's/^PPid:[[:space:]]*//p' "$d/status" 2>/dev/null)
  if [ -n "$master" ] && [ "$ppid" = "$master" ]; then worker=$d; break; fi
  [ -n "$any_worker" ] || any_worker=$d
done
[ -n "$worker" ] || worker=$any_worker
if [ -n "$worker" ]; then
  uid=$(awk '/^Uid:/ { print $3 }' "$worker/status" 2>/dev/null)
  kv worker_uid "$uid"
  kv worker_gid "$(awk '/^Gid:/ { print $3 }' "$worker/status" 2>/dev/null)"
  kv worker_groups "$(sed -n 's/^Groups:[[:space:]]*//p' "$worker/status" 2>/dev/null)"
  kv worker_name "$(getent passwd "$uid" | cut -d: -f1)"
fi
set -f
set -- $(directive user)
kv conf_user "\${1:-}"
kv conf_group "\${2:-}"
[ -n "\${2:-}" ] && kv conf_group_gid "$(getent group "$2" | cut -d: -f3)"
for name in "\${1:-}" www-data nginx; do
  [ -n "$name" ] || continue
  u=$(id -u -- "$name" 2>/dev/null) || continue
  kv "ids_$name" "$u $(id -g -- "$name") $(id -G -- "$name")"
done
if [ -r /etc/os-release ]; then . /etc/os-release; kv os_id "\${ID:-}"; kv os_like "\${ID_LIKE:-}"; fi
`

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
