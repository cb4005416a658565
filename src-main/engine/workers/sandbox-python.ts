import type { RemoteHost } from '../ssh/remote-host'

export interface SandboxPython {
  /** "3.10" */
  version: string
  /** "Python 3.10.12", as it answered. */
  answer: string
  command: string
}

/**
 * The Python the worker's sandboxes run: the base image's own `python3`, asked inside it with
 * chroot (OpenLambda starts every sandbox with `chroot <root> python3 ...`). null when it does not
 * answer (no base yet, no python3 in it).
 */
export async function sandboxPython(host: RemoteHost, base: string): Promise<SandboxPython | null> {
  const argv = ['chroot', base, 'python3', '--version']
  const result = await host.read(argv, { sudo: true, quiet: true })
  const answer = `${result.stdout}${result.stderr}`.trim()
  const match = /^Python (3)\.(\d+)\.\S+/.exec(answer)
  if (result.code !== 0 || !match) return null
  return { version: `${match[1]}.${match[2]}`, answer, command: argv.join(' ') }
}
