import { z } from 'zod'
import { runPythonJson } from '../remote/python'
import type { RemoteHost } from '../ssh/remote-host'
import readBuildRequiresScript from './scripts/read-build-requires.py?raw'

const answerSchema = z.record(
  z.string(),
  z.object({
    requires: z.array(z.string()).nullable(),
    backend: z.string().nullable(),
    source: z.enum(['pyproject.toml', 'legacy default']),
    error: z.string().nullable(),
  }),
)

export type DeclaredBuildSystems = z.infer<typeof answerSchema>

/** Each sdist's `build-system`, read from its pyproject.toml on the host (one command for all). */
export function readBuildRequires(
  host: RemoteHost,
  sdists: Record<string, string>,
  proxy: string | null,
): Promise<DeclaredBuildSystems> {
  if (Object.keys(sdists).length === 0) return Promise.resolve({})
  return runPythonJson(
    host,
    `Reading the build-system of ${Object.keys(sdists).join(', ')}`,
    readBuildRequiresScript,
    [],
    answerSchema,
    { stdin: JSON.stringify({ sdists, proxy, timeout: 120 }) },
  )
}
