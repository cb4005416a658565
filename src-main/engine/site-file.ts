import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { parseRequirement, parseSite, SiteError, type Site } from './site'

/** Reads a requirements list: one requirement per line, `#` comments and blank lines ignored. */
export function parseRequirementsText(text: string, field: string): string[] {
  const problems: { field: string; message: string }[] = []
  const lines: string[] = []
  text.split('\n').forEach((raw, index) => {
    const line = raw
      .replace(/\s+#.*$/, '')
      .replace(/^#.*$/, '')
      .trim()
    if (!line) return
    if (parseRequirement(line) === null)
      problems.push({
        field,
        message: `line ${index + 1} ${JSON.stringify(raw.trim())} is not a requirement such as "requests==2.31.0" (options like -r or --index-url are not accepted)`,
      })
    else lines.push(line)
  })
  if (problems.length > 0) throw new SiteError(problems)
  return lines
}

async function readListFile(path: string, field: string): Promise<string[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new SiteError([
      {
        field,
        message: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      },
    ])
  }
  return parseRequirementsText(text, field)
}

/**
 * Loads a site description from a JSON file and reads the requirement files it names (relative to
 * the site file), so that every input problem is found before any host is touched.
 */
export async function loadSiteFile(path: string): Promise<Site> {
  let raw: string
  try {
    raw = await readFile(path, 'utf8')
  } catch (error) {
    throw new SiteError([
      {
        field: '(site file)',
        message: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      },
    ])
  }
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch (error) {
    throw new SiteError([
      { field: '(site file)', message: `${path} is not valid JSON: ${(error as Error).message}` },
    ])
  }
  return resolveSiteFiles(parseSite(json), dirname(resolve(path)))
}

/** Replaces `requirementsFile` / `registryRequirementsFile` by the lines they hold. */
export async function resolveSiteFiles(site: Site, baseDir: string): Promise<Site> {
  const mirror = { ...site.mirror }
  if (mirror.requirementsFile && !mirror.requirements) {
    mirror.requirements = await readListFile(
      resolve(baseDir, mirror.requirementsFile),
      'mirror.requirementsFile',
    )
  }
  const workers = await Promise.all(
    site.workers.map(async (worker, i) =>
      worker.registryRequirementsFile && !worker.registryRequirements
        ? {
            ...worker,
            registryRequirements: await readListFile(
              resolve(baseDir, worker.registryRequirementsFile),
              `workers.${i}.registryRequirementsFile`,
            ),
          }
        : worker,
    ),
  )
  return { ...site, mirror, workers }
}

/** The requirements to mirror, once files are resolved. */
export function mirrorRequirements(site: Site): string[] {
  return site.mirror.requirements ?? []
}
