import { readFile, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { loadSiteFile } from '../engine/site-file'
import { mirrorUrl, parseSite, SiteError, type Site, type SiteInput } from '#shared/site'
import { writeFileAtomic } from './atomic-file'
import { isSlugId, slugIdsIn, slugify } from './slug'
import { WizardProgressFiles } from './wizard-progress-file'

/** A saved site in the start screen's list. */
export interface SavedSiteSummary {
  id: string
  /** The file the CLI runs: `pip-mirror apply --site <file>`. */
  file: string
  name: string
  host: string
  user: string
  port: number
  directory: string
  url: string
  workers: number
  savedAt: string
}

/** A file in the sites directory that no longer parses: listed, so it can be fixed or deleted. */
export interface BrokenSavedSite {
  id: string
  file: string
  problem: string
}

export class SiteStoreError extends Error {
  override name = 'SiteStoreError'
}

/** Two saves of one mirror (same host, port and directory) are the same saved site. */
function identity(site: Site): string {
  const { host, port } = site.mirror.ssh
  return `${host}:${port}:${site.mirror.directory}`
}

function defaultName(site: Site): string {
  return site.name ?? `${site.mirror.ssh.host} ${site.mirror.directory}`
}

/**
 * The requirement files a site names are read into it before saving: a saved site stands on its
 * own, and the inline list wins over a file name it kept.
 */
function selfContained(site: Site): Site {
  const { requirementsFile, ...mirror } = site.mirror
  if (requirementsFile && !mirror.requirements)
    throw new SiteError([
      {
        field: 'mirror.requirementsFile',
        message:
          'was not read: import the site file (its requirements are read then) or list the requirements',
      },
    ])
  const workers = site.workers.map((worker, i) => {
    const { registryRequirementsFile, ...rest } = worker
    if (registryRequirementsFile && !rest.registryRequirements)
      throw new SiteError([
        {
          field: `workers.${i}.registryRequirementsFile`,
          message: 'was not read: import the site file',
        },
      ])
    return rest
  })
  return parseSite({ ...site, mirror, workers })
}

/**
 * Saved sites: one JSON file each under `<baseDir>/sites/`, exactly the site description the
 * `pip-mirror` command reads, validated by the same schema. Never a secret in them.
 */
export class SiteStore {
  readonly dir: string

  constructor(private readonly baseDir: string) {
    this.dir = join(baseDir, 'sites')
  }

  /** The file of a saved site, for `pip-mirror … --site`. */
  fileOf(id: string): string {
    if (!isSlugId(id)) throw new SiteStoreError(`"${id}" is not a saved site's id`)
    return join(this.dir, `${id}.json`)
  }

  private async ids(): Promise<string[]> {
    return slugIdsIn(this.dir)
  }

  private async summary(id: string, site: Site): Promise<SavedSiteSummary> {
    const file = this.fileOf(id)
    return {
      id,
      file,
      name: defaultName(site),
      host: site.mirror.ssh.host,
      user: site.mirror.ssh.user,
      port: site.mirror.ssh.port,
      directory: site.mirror.directory,
      url: mirrorUrl(site.mirror),
      workers: site.workers.length,
      savedAt: (await stat(file)).mtime.toISOString(),
    }
  }

  /** Every saved site, by name; files that do not parse come back in `broken`. */
  async list(): Promise<{ sites: SavedSiteSummary[]; broken: BrokenSavedSite[] }> {
    const sites: SavedSiteSummary[] = []
    const broken: BrokenSavedSite[] = []
    for (const id of await this.ids()) {
      try {
        sites.push(await this.summary(id, await this.load(id)))
      } catch (error) {
        broken.push({ id, file: this.fileOf(id), problem: (error as Error).message })
      }
    }
    sites.sort((a, b) => a.name.localeCompare(b.name))
    return { sites, broken }
  }

  /** A saved site, read and validated the way the CLI reads it. */
  async load(id: string): Promise<Site> {
    return loadSiteFile(this.fileOf(id))
  }

  /** The id a site gets: the one of the same mirror if it was saved before, else a new slug. */
  private async idFor(site: Site): Promise<string> {
    const base = slugify(defaultName(site))
    const taken = new Set(await this.ids())
    for (const id of taken) {
      const saved = await this.load(id).catch(() => null)
      if (saved && identity(saved) === identity(site)) return id
    }
    if (!taken.has(base)) return base
    for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`
  }

  /** Saves a site (a new one, or over `id`); returns it as listed. */
  async save(input: SiteInput | Site, options: { id?: string } = {}): Promise<SavedSiteSummary> {
    const site = selfContained(parseSite(input))
    const id = options.id ?? (await this.idFor(site))
    await writeFileAtomic(this.fileOf(id), `${JSON.stringify(site, null, 2)}\n`)
    return this.summary(id, site)
  }

  async remove(id: string): Promise<boolean> {
    const file = this.fileOf(id)
    try {
      await stat(file)
    } catch {
      return false
    }
    await rm(file, { force: true })
    await new WizardProgressFiles(this.baseDir).forget(id)
    return true
  }

  /** Copies a saved site to a file of the operator's choosing (the same JSON). */
  async exportTo(id: string, destination: string): Promise<void> {
    const text = await readFile(this.fileOf(id), 'utf8')
    await writeFileAtomic(destination, text, 0o644)
  }

  /**
   * Reads a site file as `importFrom` does, without saving it: the site, the id it would be saved
   * as, and the saved site it would replace (null for a new one).
   */
  async readForImport(source: string): Promise<{ site: Site; id: string; previous: Site | null }> {
    const site = selfContained(await loadSiteFile(source))
    const id = await this.idFor(site)
    const saved = (await this.ids()).includes(id)
    return { site, id, previous: saved ? await this.load(id).catch(() => null) : null }
  }

  /** Reads a site file (and the requirement files it names, beside it) and saves it. */
  async importFrom(source: string, options: { id?: string } = {}): Promise<SavedSiteSummary> {
    return this.save(await loadSiteFile(source), options)
  }
}
