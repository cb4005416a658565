import { readdir } from 'node:fs/promises'

/** A file-name-safe id: lowercase letters, digits and single dashes, at most 60 characters. */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '')
  return slug || 'site'
}

const ID = /^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$/

/** Ids come back from the renderer: only a slug may name a file. */
export function isSlugId(id: string): boolean {
  return ID.test(id)
}

/** The ids of the `<id>.json` files in a directory, sorted; none when it does not exist yet. */
export async function slugIdsIn(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir))
      .filter((name) => name.endsWith('.json'))
      .map((name) => name.slice(0, -'.json'.length))
      .filter(isSlugId)
      .sort()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
}
