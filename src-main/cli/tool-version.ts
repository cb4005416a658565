import { readFile } from 'node:fs/promises'

/**
 * This program's version, from the project's package.json (found above this file, whether it
 * runs built from out/cli or from the sources); "unknown" when there is none.
 */
export async function toolVersion(): Promise<string> {
  for (let dir = new URL('.', import.meta.url); ; dir = new URL('..', dir)) {
    try {
      const json = JSON.parse(await readFile(new URL('package.json', dir), 'utf8')) as {
        name?: string
        version?: string
      }
      if (json.name === 'pip-mirror-wizard' && json.version) return json.version
    } catch {
      // not here: look one directory up
    }
    if (dir.pathname === '/') return 'unknown'
  }
}
