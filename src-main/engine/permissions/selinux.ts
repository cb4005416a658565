import type { RemoteHost } from '../ssh/remote-host'
import selinuxScript from './scripts/selinux.sh?raw'
import type { Finding } from '../steps/step'

/** Types under which SELinux lets nginx (httpd_t) read files. */
export const READABLE_BY_HTTPD = [
  'httpd_sys_content_t',
  'httpd_sys_rw_content_t',
  'httpd_sys_ra_content_t',
  'public_content_t',
  'public_content_rw_t',
] as const

export interface SelinuxCheck {
  /** `getenforce` exists on the host. */
  present: boolean
  mode: 'Enforcing' | 'Permissive' | 'Disabled' | null
  /** The served directory's context, such as `unconfined_u:object_r:user_home_t:s0`. */
  context: string | null
  /** Entries inside the tree with a type nginx may not read (counted only when enforcing). */
  wrongCount: number
  example: string | null
}

/** find's tests for an entry nginx may read: `-context *:TYPE:*` for each type, joined by -o. */
const TYPE_TESTS: string[] = READABLE_BY_HTTPD.flatMap((type, i) => [
  ...(i === 0 ? [] : ['-o']),
  '-context',
  `*:${type}:*`,
])

export function parseSelinux(text: string): SelinuxCheck {
  const values = new Map<string, string>()
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=')
    if (eq > 0) values.set(line.slice(0, eq), line.slice(eq + 1).trim())
  }
  const mode = values.get('mode')
  return {
    present: values.has('mode'),
    mode: mode === 'Enforcing' || mode === 'Permissive' || mode === 'Disabled' ? mode : null,
    context: values.get('context') || null,
    wrongCount: Number(values.get('wrong') ?? 0),
    example: values.get('example') || null,
  }
}

function contextType(context: string | null): string | null {
  return context?.split(':')[2] ?? null
}

/** A blocker when SELinux enforces and the tree is not labelled for nginx; nothing elsewhere. */
export function selinuxFindings(check: SelinuxCheck, webRoot: string): Finding[] {
  if (check.mode !== 'Enforcing') return []
  const type = contextType(check.context)
  const rootWrong = !type || !(READABLE_BY_HTTPD as readonly string[]).includes(type)
  if (!rootWrong && check.wrongCount === 0) return []
  return [
    {
      severity: 'blocker',
      title: `SELinux is enforcing and ${check.wrongCount || 1} entries of the mirror are not labelled for nginx`,
      evidence: `${webRoot} has context ${check.context ?? '(none)'}${check.example ? `; e.g. ${check.example}` : ''}; nginx may read only ${READABLE_BY_HTTPD.join(', ')}`,
      fix: `semanage fcontext -a -t httpd_sys_content_t '${webRoot}(/.*)?' && restorecon -R ${webRoot} (lasting), or chcon -R -t httpd_sys_content_t ${webRoot} (until the next relabel)`,
    },
  ]
}

export async function checkSelinux(host: RemoteHost, webRoot: string): Promise<SelinuxCheck> {
  const result = await host.readScript(selinuxScript, [webRoot, ...TYPE_TESTS], {
    sudo: true,
    quiet: true,
  })
  return parseSelinux(result.stdout)
}
