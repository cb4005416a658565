import { readFile, realpath } from 'node:fs/promises'
import { dirname, resolve, sep } from 'node:path'
import { parseRequirement, parseSite, SiteError, type Site } from '#shared/site'

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

function isInside(dir: string, path: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep)
}

/**
 * The file a site names, confined to the site file's folder (or below it): a site file from
 * someone else must not make this machine read, show or mirror files from anywhere else.
 * Symbolic links count where they lead.
 */
async function confinedFile(baseDir: string, name: string, field: string): Promise<string> {
  const outside = (where: string): SiteError =>
    new SiteError([
      {
        field,
        message: `must name a file in the site file's folder ${baseDir} (or below it); ${JSON.stringify(name)} ${where}`,
      },
    ])
  const wanted = resolve(baseDir, name)
  if (!isInside(baseDir, wanted)) throw outside('is outside it')
  const [realBase, realFile] = await Promise.all([
    realpath(baseDir).catch(() => baseDir),
    realpath(wanted).catch(() => null),
  ])
  if (realFile === null) return wanted
  if (!isInside(realBase, realFile)) throw outside(`leads to ${realFile}, outside it`)
  return realFile
}

/**
 * Replaces `requirementsFile` / `registryRequirementsFile` by the lines they hold. The files must
 * be in `baseDir` (the site file's folder) or below it.
 */
export async function resolveSiteFiles(site: Site, baseDir: string): Promise<Site> {
  const mirror = { ...site.mirror }
  if (mirror.requirementsFile && !mirror.requirements) {
    const field = 'mirror.requirementsFile'
    mirror.requirements = await readListFile(
      await confinedFile(baseDir, mirror.requirementsFile, field),
      field,
    )
  }
  const workers = await Promise.all(
    site.workers.map(async (worker, i) => {
      if (!worker.registryRequirementsFile || worker.registryRequirements) return worker
      const field = `workers.${i}.registryRequirementsFile`
      const file = await confinedFile(baseDir, worker.registryRequirementsFile, field)
      return { ...worker, registryRequirements: await readListFile(file, field) }
    }),
  )
  return { ...site, mirror, workers }
}

/** The requirements to mirror, once files are resolved. */
export function mirrorRequirements(site: Site): string[] {
  return site.mirror.requirements ?? []
}
