import { normalizeProjectName, parseRequirement, type Site } from '#shared/site'

/**
 * The site with `lines` added to the mirror's requirements (the doctor's "add the missing ones
 * and re-sync" offer); a line whose exact requirement is already there is not added twice.
 * Applying the mirror then re-syncs it.
 */
export function addToMirrorRequirements(site: Site, lines: readonly string[]): Site {
  const current = site.mirror.requirements ?? []
  const key = (line: string) => {
    const parsed = parseRequirement(line)
    return parsed ? `${normalizeProjectName(parsed.name)}${parsed.specifier}` : line.trim()
  }
  const present = new Set(current.map(key))
  const added = lines.filter((line) => !present.has(key(line)))
  return { ...site, mirror: { ...site.mirror, requirements: [...current, ...added] } }
}
