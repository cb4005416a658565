import { scriptCommand } from '../remote/quote'
import type { RemoteHost } from '../ssh/remote-host'
import { sandboxPython } from './sandbox-python'
import type { WorkerTarget } from '#shared/worker-target'

/** The newest `python3.N` in the sandbox base image's bin directories, as "3.N". */
const FIND_SANDBOX_PYTHON = `
base=$1
for dir in "$base/usr/local/bin" "$base/usr/bin"; do
  [ -d "$dir" ] || continue
  ls -1 -- "$dir" 2>/dev/null | grep -E '^python3\\.[0-9]+$'
done | sed 's/^python//' | sort -t. -k2,2n | tail -n 1`

export interface WorkerPython {
  /** "3.10" */
  version: string
  /** Where the version came from, for the operator. */
  source: string
}

function lowest(versions: readonly string[]): string {
  return (
    [...versions].sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]))[0] ?? '3.11'
  )
}

/**
 * The Python that the worker's sandboxes run, which is what packages must install on. It is the
 * one inside the sandbox base image (ol-min: Ubuntu 22.04's 3.10), not the worker host's own.
 */
export async function findWorkerPython(
  host: RemoteHost,
  target: WorkerTarget,
  sandboxBase: string,
): Promise<WorkerPython> {
  if (target.worker.pythonVersion)
    return { version: target.worker.pythonVersion, source: "the site's pythonVersion" }
  const asked = await sandboxPython(host, sandboxBase)
  if (asked) return { version: asked.version, source: `${asked.answer} (${asked.command})` }
  const result = await host.read(scriptCommand(FIND_SANDBOX_PYTHON, [sandboxBase]), {
    sudo: true,
    quiet: true,
  })
  const found = result.stdout.trim()
  if (result.code === 0 && /^3\.\d{1,2}$/.test(found))
    return { version: found, source: `python${found} in the sandbox base ${sandboxBase}` }
  const fallback = lowest(target.mirrorPythonVersions)
  return {
    version: fallback,
    source: `the mirror's lowest Python (no python3.N in ${sandboxBase}; set the worker's pythonVersion to be sure)`,
  }
}
