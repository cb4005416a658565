import { scriptCommand } from '../remote/quote'
import type { RemoteHost } from '../ssh/remote-host'
import { sandboxPython } from './sandbox-python'
import findSandboxPython from './scripts/find-sandbox-python.sh?raw'
import type { WorkerTarget } from '#shared/worker-target'

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
  const result = await host.read(scriptCommand(findSandboxPython, [sandboxBase]), {
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
