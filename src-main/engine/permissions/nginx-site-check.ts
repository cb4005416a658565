import { nginxSiteName } from '../config/nginx-site'
import type { MirrorSite } from '#shared/site'
import { readRemoteFile } from '../ssh/files'
import type { RemoteHost } from '../ssh/remote-host'
import { analyzeSiteText, isListening, type SiteTextAnalysis } from './nginx-site-text'
import siteStateScript from './scripts/nginx-site-state.sh?raw'

export const SITES_AVAILABLE = '/etc/nginx/sites-available'
export const SITES_ENABLED = '/etc/nginx/sites-enabled'

export type EnabledState =
  | 'symlink' // sites-enabled/<name> links to sites-available/<name>
  | 'other-target' // it links somewhere else
  | 'dangling' // it links to nothing
  | 'copy' // a regular file: nginx reads it, not the one in sites-available
  | 'missing'

export interface NginxSiteCheck {
  availablePath: string
  enabledPath: string
  /** The file nginx reads (or would read once enabled); null when there is none. */
  effectivePath: string | null
  exists: boolean
  enabled: EnabledState
  enabledTarget: string | null
  text: string | null
  analysis: SiteTextAnalysis | null
  /** null when `ss` is not available to tell. */
  listening: boolean | null
  init: 'systemd' | 'other'
}

function enabledState(word: string, target: string, availableReal: string): EnabledState {
  if (word === 'link') return target === availableReal ? 'symlink' : 'other-target'
  if (word === 'dangling') return 'dangling'
  if (word === 'file') return 'copy'
  return 'missing'
}

/** Reads the mirror's site (the file name the nginx step writes) and its serving state. */
export async function checkNginxSite(
  host: RemoteHost,
  mirror: MirrorSite,
  webRoot: string,
): Promise<NginxSiteCheck> {
  const name = nginxSiteName(mirror.serve.listen)
  const availablePath = `${SITES_AVAILABLE}/${name}`
  const enabledPath = `${SITES_ENABLED}/${name}`
  const state = await host.readScript(siteStateScript, [availablePath, enabledPath], {
    quiet: true,
  })
  const values = new Map<string, string>()
  const listenLines: string[] = []
  for (const line of state.stdout.split('\n')) {
    const eq = line.indexOf('=')
    if (eq <= 0) continue
    const key = line.slice(0, eq)
    if (key === 'listen_line') listenLines.push(line.slice(eq + 1))
    else values.set(key, line.slice(eq + 1))
  }
  const enabled = enabledState(
    values.get('enabled') ?? '',
    values.get('target') ?? '',
    values.get('available_real') ?? '',
  )
  const enabledTarget = values.get('target') || null
  const effectivePath =
    enabled === 'copy' ? enabledPath : enabled === 'other-target' ? enabledTarget : availablePath
  const content = effectivePath ? await readRemoteFile(host, effectivePath) : null
  const text = content ? content.toString('utf8') : null
  return {
    availablePath,
    enabledPath,
    effectivePath: text === null ? null : effectivePath,
    exists: text !== null,
    enabled,
    enabledTarget,
    text,
    analysis:
      text === null ? null : analyzeSiteText(text, { location: mirror.serve.location, webRoot }),
    listening:
      values.get('ss') === 'yes' ? isListening(listenLines.join('\n'), mirror.serve.listen) : null,
    init: values.get('init') === 'systemd' ? 'systemd' : 'other',
  }
}
