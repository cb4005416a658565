import { z } from 'zod'
import type { RemoteHost } from '../ssh/remote-host'
import { urlHost } from './loopback'
import { simpleIndexUrl } from './mirror-reach'
import { runPythonJson } from '../remote/python'
import dryInstallScript from './scripts/dry-install.py?raw'

const resultSchema = z.object({
  arg: z.string(),
  code: z.number(),
  source: z.string().nullable(),
  installed: z.string().nullable(),
  skipped: z.boolean(),
  tail: z.array(z.string()),
})

const dryInstallSchema = z.union([
  z.object({ pip: z.literal(false), python: z.string() }),
  z.object({
    pip: z.literal(true),
    python: z.string(),
    pipVersion: z.string(),
    results: z.array(resultSchema),
  }),
])

export type DryInstall = z.infer<typeof dryInstallSchema>
export type DryInstallResult = z.infer<typeof resultSchema>

export interface DryInstallRequest {
  pipMirror: string
  /** The lines as OpenLambda passes them to pip (see openLambdaInstallArgs). */
  args: readonly string[]
  /** The sandboxes' Python, when it differs from the Python pip runs with here. */
  pythonVersion: string | null
}

/**
 * Installs each line as OpenLambda's pip-install lambda does, from the worker host, with the
 * mirror as the only index and pip's own configuration left out (scripts/dry-install.py).
 */
export function dryInstall(host: RemoteHost, request: DryInstallRequest): Promise<DryInstall> {
  const input = {
    index: simpleIndexUrl(request.pipMirror).replace(/\/$/, ''),
    trustedHost: urlHost(request.pipMirror),
    pythonVersion: request.pythonVersion,
    args: request.args,
  }
  return runPythonJson(
    host,
    `The dry install from ${input.index}`,
    dryInstallScript,
    [],
    dryInstallSchema,
    { stdin: JSON.stringify(input) },
  )
}

/** The command line each dry install ran, for the log (the same for every line but `<line>`). */
export function dryInstallCommand(request: DryInstallRequest): string {
  const index = simpleIndexUrl(request.pipMirror).replace(/\/$/, '')
  const python = request.pythonVersion ? ` --python-version ${request.pythonVersion}` : ''
  return `pip install --no-deps <line> --cache-dir <tmp>/cache -t <tmp>/files --index-url ${index} --trusted-host ${urlHost(request.pipMirror)} -vvv${python}`
}

/** "alpha==1.1: installed alpha-1.1 from http://.../alpha-1.1-py3-none-any.whl" */
export function describeDryInstall(result: DryInstallResult): string {
  if (result.code !== 0) return `${result.arg}: FAILED (exit code ${result.code})`
  if (result.skipped) return `${result.arg}: skipped by pip (its marker does not match)`
  return `${result.arg}: installed ${result.installed ?? '?'} from ${result.source ?? '(cache)'}`
}
