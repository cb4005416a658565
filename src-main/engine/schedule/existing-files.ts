import { scriptCommand } from '../remote/quote'
import type { RemoteHost } from '../ssh/remote-host'
import existingPathsScript from './scripts/existing-paths.sh?raw'

/** Which of the paths exist on the host (files, links or directories), in one command. */
export async function existingPaths(host: RemoteHost, paths: readonly string[]): Promise<string[]> {
  if (paths.length === 0) return []
  const result = await host.read(scriptCommand(existingPathsScript, paths), { quiet: true })
  const found = new Set(result.stdout.split('\n').filter(Boolean))
  return paths.filter((p) => found.has(p))
}
