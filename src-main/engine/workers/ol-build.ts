import { z } from 'zod'
import { runPythonJson } from '../remote/python'
import type { RemoteHost } from '../ssh/remote-host'
import olInstallerScript from './scripts/ol-installer.py?raw'

/**
 * What a worker's OpenLambda does with config.json's `pip_mirror`, read from its `ol` binary:
 * the embedded pip-install lambda (packagePullerInstaller.py) either passes it to pip (the seed
 * manual's build, OpenLambda pull request #261) or never uses it (OpenLambda's main branch).
 */
export interface OlBuild {
  kind: 'passes-pip-mirror' | 'ignores-pip-mirror' | 'unknown'
  /** The installer's pip call as the binary holds it, for the evidence. */
  argvText: string | null
  ol: string
}

const answerSchema = z.object({
  found: z.boolean(),
  passesPipMirror: z.boolean(),
  argvText: z.string().nullable(),
  bytes: z.number(),
})

export async function detectOlBuild(host: RemoteHost, ol: string): Promise<OlBuild> {
  const answer = await runPythonJson(
    host,
    `Reading OpenLambda's installer from ${ol}`,
    olInstallerScript,
    [ol],
    answerSchema,
    { sudo: true },
  )
  const kind = !answer.found
    ? 'unknown'
    : answer.passesPipMirror
      ? 'passes-pip-mirror'
      : 'ignores-pip-mirror'
  return { kind, argvText: answer.argvText, ol }
}

/** For the worker's status line. */
export function describeOlBuild(build: OlBuild): string {
  if (build.kind === 'passes-pip-mirror') return 'OpenLambda passes pip_mirror to pip'
  if (build.kind === 'ignores-pip-mirror')
    return "OpenLambda ignores pip_mirror (main): the sandboxes' pip.conf points pip at the mirror"
  return "OpenLambda's installer not found in its binary: the sandboxes' pip.conf points pip at the mirror"
}

/** Whether the sandboxes need a pip.conf to reach the mirror (a build that may ignore pip_mirror). */
export function needsSandboxPipConf(build: OlBuild): boolean {
  return build.kind !== 'passes-pip-mirror'
}

/**
 * The pip command this build's installer runs for one package, as it runs it in the sandbox
 * (packagePullerInstaller.py): main's, or with the seed manual's index options.
 */
export function installerArgv(build: OlBuild, pkg: string, pipMirror: string): string[] {
  const argv = [
    'pip3',
    'install',
    '--no-deps',
    pkg,
    '--cache-dir',
    '/tmp/.cache',
    '-t',
    '/host/files',
  ]
  if (build.kind !== 'passes-pip-mirror' || !pipMirror) return argv
  return [
    ...argv,
    `--index-url=${pipMirror.replace(/\/+$/, '')}/simple/`,
    `--trusted-host=${new URL(pipMirror).host}`,
    '-vvv',
  ]
}
