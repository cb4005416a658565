import { EngineError } from '../engine/errors'
import { parseSite, SiteError, type Site, type SshTarget } from '../engine/site'
import type { SiteDraft, SiteDraftPatch } from '../ipc-contract'
import { siteDraftSchema } from '../ipc-session-schemas'

/**
 * Until the Serve page, the site has no address to serve on. The engine's site needs one, and
 * the steps before nginx never use it: a placeholder that the preflight takes for "any address".
 */
const SERVE_PLACEHOLDER = { listen: '0.0.0.0:8080', location: '/pypi/' }

export function applyDraftPatch(draft: SiteDraft, patch: SiteDraftPatch): SiteDraft {
  const merged: Record<string, unknown> = { ...draft }
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue
    if (value === null) delete merged[key]
    else merged[key] = value
  }
  return siteDraftSchema.parse(merged)
}

/** The engine's site for the draft, or an error that names what is still missing. */
export function siteFromDraft(draft: SiteDraft): Site {
  if (!draft.ssh)
    throw new EngineError('No mirror host has been chosen yet', {
      hint: 'go to the Connect page and connect to the host that will hold the mirror',
    })
  try {
    return parseSite({
      mirror: {
        ssh: draft.ssh,
        directory: draft.directory,
        upstream: draft.upstream,
        allowNonHttps: draft.allowNonHttps,
        proxy: draft.proxy,
        requirements: draft.requirements,
        serve: draft.serve ?? SERVE_PLACEHOLDER,
      },
      workers: draft.workers,
    })
  } catch (error) {
    if (!(error instanceof SiteError)) throw error
    throw new EngineError(`The site is not complete: ${error.message.replace(/\n/g, '; ')}`, {
      hint: 'correct the field named above on its page (packages, upstream or serving address)',
    })
  }
}

/** How the engine names a host (RemoteHost.label), so secrets and connections share one key. */
export function hostLabel(target: SshTarget): string {
  return `${target.user}@${target.host}:${target.port}`
}
