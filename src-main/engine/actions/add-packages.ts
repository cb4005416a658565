import { EngineError } from '../errors'
import { parseRequirement, parseSite, SiteError, type Site } from '#shared/site'
import { MIRROR_STEPS } from '../steps/mirror-steps'
import { requirementsStep } from '../steps/requirements'
import { addToMirrorRequirements } from '../workers/mirror-additions'
import type { SiteAction } from './site-action'

/** The requirement lines, checked one by one; each problem names its line. */
function checkedLines(lines: readonly string[]): string[] {
  const cleaned = lines.map((l) => l.trim()).filter(Boolean)
  const problems = cleaned.flatMap((line, i) =>
    parseRequirement(line) === null
      ? [
          {
            field: `requirements.${i}`,
            message: `"${line}" is not a requirement such as "requests==2.31.0" or "numpy"`,
          },
        ]
      : [],
  )
  if (problems.length > 0) throw new SiteError(problems)
  if (cleaned.length === 0)
    throw new SiteError([{ field: 'requirements', message: 'name at least one package' }])
  return cleaned
}

/**
 * The site with the packages added to its requirements. Its requirements must be inline (a site
 * loaded with loadSiteFile or from the site store): the list is the one that gets saved.
 */
export function siteWithPackages(site: Site, lines: readonly string[]): Site {
  if (site.mirror.requirementsFile && !site.mirror.requirements)
    throw new EngineError('The site names a requirements file that was not read', {
      hint: 'load the site with loadSiteFile (or from the site store) before adding packages',
    })
  const added = addToMirrorRequirements(site, checkedLines(lines))
  const { requirementsFile: _file, ...mirror } = added.mirror
  return parseSite({ ...added, mirror })
}

/**
 * Add packages: the new list is resolved again (their dependencies come too), synced and
 * verified. The outcome's site holds the new requirements; save it.
 */
export function addPackagesAction(site: Site, lines: readonly string[]): SiteAction {
  return {
    id: 'add-packages',
    title: 'Add packages',
    site: siteWithPackages(site, lines),
    steps: MIRROR_STEPS,
    from: requirementsStep.id,
  }
}
