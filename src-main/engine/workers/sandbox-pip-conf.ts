import { posix } from 'node:path'
import { simpleIndexUrl } from './mirror-reach'

/** pip's site-wide configuration inside the sandboxes' root (pip reads <root>/etc/pip.conf). */
export function sandboxPipConfPath(base: string): string {
  return posix.join(base, 'etc', 'pip.conf')
}

/** Settings that would send pip elsewhere or around the mirror, in any spelling pip accepts. */
const INDEX_KEYS =
  /^(index[-_]url|extra[-_]index[-_]url|find[-_]links|no[-_]index|trusted[-_]host)\s*[=:]/i

const HEADER =
  "# index-url and trusted-host set by Pip Mirror Wizard: this worker's OpenLambda does not pass\n# config.json's pip_mirror to pip, so its sandboxes' pip reads the mirror from here.\n"

/**
 * The sandboxes' pip.conf with pip pointed at the mirror and nowhere else: `[global]` gets
 * index-url (and trusted-host for a plain-HTTP mirror); every other index, extra index or
 * find-links setting is dropped, with its continuation lines; everything else stays as it was.
 */
export function sandboxPipConf(current: string | null, pipMirror: string): string {
  const url = new URL(pipMirror)
  const settings = [
    `index-url = ${simpleIndexUrl(pipMirror)}`,
    ...(url.protocol === 'http:' ? [`trusted-host = ${url.host}`] : []),
  ]
  const kept: string[] = []
  let dropping = false
  for (const line of (current ?? '').replace(HEADER, '').split('\n')) {
    if (dropping && /^[ \t]+\S/.test(line)) continue
    dropping = INDEX_KEYS.test(line.trim()) && !/^[#;]/.test(line.trim())
    if (!dropping) kept.push(line)
  }
  while (kept.length > 0 && kept[kept.length - 1] === '') kept.pop()
  const global = kept.findIndex((line) => /^\[global\]\s*$/.test(line.trim()))
  if (global >= 0) kept.splice(global + 1, 0, ...settings)
  else kept.unshift('[global]', ...settings, ...(kept.length > 0 ? [''] : []))
  return `${HEADER}${kept.join('\n')}\n`
}
