import { EngineError } from '../engine/errors'
import { parseSite, SiteError, type Site, type SshTarget } from '#shared/site'
import type { SiteDraft, SiteDraftPatch } from '#shared/ipc/contract'
import { siteDraftSchema } from '#shared/ipc/session-schemas'

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

/**
 * The engine's site for the draft, or an error that names what is still missing. `base` is the
 * saved site the draft was opened from: what the wizard does not edit (Python versions,
 * platforms, a name…) is kept from it.
 */
export function siteFromDraft(draft: SiteDraft, base: Site | null = null): Site {
  if (!draft.ssh)
    throw new EngineError('No mirror host has been chosen yet', {
      hint: 'go to the Connect page and connect to the host that will hold the mirror',
    })
  try {
    const { requirementsFile: _readIntoRequirements, ...kept } = base?.mirror ?? {}
    return parseSite({
      ...(base?.name ? { name: base.name } : {}),
      mirror: {
        ...kept,
        ssh: draft.ssh,
        directory: draft.directory,
        upstream: draft.upstream,
        allowNonHttps: draft.allowNonHttps,
        proxy: draft.proxy,
        requirements: draft.requirements,
        pythonVersions: draft.pythonVersions,
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

/** The draft of a saved site, for the wizard and the connection to open it with. */
export function draftFromSite(site: Site): SiteDraft {
  const { mirror } = site
  return siteDraftSchema.parse({
    ssh: mirror.ssh,
    directory: mirror.directory,
    upstream: mirror.upstream,
    allowNonHttps: mirror.allowNonHttps,
    proxy: mirror.proxy,
    requirements: mirror.requirements ?? [],
    pythonVersions: mirror.pythonVersions,
    serve: mirror.serve,
    workers: site.workers,
  })
}

/** A host, packages and a serving address: enough to be a site `pip-mirror` can run. */
export function isDraftComplete(draft: SiteDraft): boolean {
  return !!draft.ssh && !!draft.serve && draft.requirements.length > 0
}

/** How the engine names a host (RemoteHost.label), so secrets and connections share one key. */
export function hostLabel(target: SshTarget): string {
  return `${target.user}@${target.host}:${target.port}`
}
