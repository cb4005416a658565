import { scriptCommand } from '../remote/quote'
import type { RemoteHost } from '../ssh/remote-host'
import { simpleIndexUrl } from './mirror-reach'
import pipConfigsScript from './scripts/pip-configs.sh?raw'

export interface SandboxIndex {
  /** Each pip configuration file in the sandbox root, with its index lines. */
  files: string[]
  /** The index-url pip ends up with (a later file wins); null: pip's default, pypi.org. */
  indexUrl: string | null
}

/** Which index pip inside the sandboxes uses, from the pip configuration files in their root. */
export async function sandboxIndex(host: RemoteHost, base: string): Promise<SandboxIndex> {
  const result = await host.read(scriptCommand(pipConfigsScript, [base]), {
    sudo: true,
    quiet: true,
  })
  const files = result.stdout.split('\n').filter(Boolean)
  let indexUrl: string | null = null
  for (const file of files) {
    const m = /(?:^|;)\s*index[-_]url\s*[=:]\s*([^;\s]+)/i.exec(file.slice(file.indexOf(':') + 1))
    if (m) indexUrl = m[1] as string
  }
  return { files, indexUrl }
}

export function pointsAtMirror(index: SandboxIndex, pipMirror: string): boolean {
  const want = simpleIndexUrl(pipMirror).replace(/\/+$/, '')
  return index.indexUrl?.replace(/\/+$/, '') === want
}
