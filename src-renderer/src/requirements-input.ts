import { parseRequirement } from '#shared/site'

export interface RequirementsInput {
  requirements: string[]
  problems: { line: number; text: string }[]
}

/**
 * A pasted or loaded requirements.in: one requirement per line; comments, blank lines and
 * trailing comments dropped. Options such as `-r` or `--index-url` are problems, not requirements.
 */
export function readRequirementsInput(text: string): RequirementsInput {
  const requirements: string[] = []
  const problems: RequirementsInput['problems'] = []
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim()
    if (!line) return
    if (parseRequirement(line) === null) problems.push({ line: index + 1, text: raw.trim() })
    else requirements.push(line)
  })
  return { requirements, problems }
}
