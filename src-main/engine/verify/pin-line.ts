import { normalizeProjectName, parseRequirement } from '#shared/site'

export interface PinLine {
  /** PEP 503 name. */
  name: string
  version: string
  marker: string
}

/** `name==version ; marker`, as a resolver writes it; null for anything that is not one pin. */
export function parsePinLine(line: string): PinLine | null {
  const requirement = parseRequirement(line.replace(/#.*$/, '').trim())
  if (!requirement || !/^===?[^,=]+$/.test(requirement.specifier)) return null
  return {
    name: normalizeProjectName(requirement.name),
    version: requirement.specifier.replace(/^===?/, ''),
    marker: requirement.marker,
  }
}
