import { EngineError } from '../errors'
import type { RemoteHost } from '../ssh/remote-host'
import locateOlScript from './scripts/locate-ol.sh?raw'

/** The path `ol` runs from; a clear error naming where it looked when it is not there. */
export async function locateOl(host: RemoteHost, ol: string): Promise<string> {
  const result = await host.readScript(locateOlScript, [ol], { sudo: true, quiet: true })
  const line = result.stdout.trim().split('\n').pop() ?? ''
  const eq = line.indexOf('=')
  const [kind, value] = [line.slice(0, eq), line.slice(eq + 1)]
  if (kind === 'found') return value
  if (kind === 'not-executable')
    throw new EngineError(`OpenLambda's ol at ${value} is not an executable file`, {
      host: host.label,
      hint: `make it executable (chmod +x ${value}), or set the worker's "ol" to the ol binary`,
    })
  if (ol.startsWith('/'))
    throw new EngineError(`OpenLambda's ol was not found: looked for ${ol}, which does not exist`, {
      host: host.label,
      hint: `install OpenLambda there (make ol in a checkout), or set the worker's "ol" to the path of the ol binary`,
    })
  throw new EngineError(
    `OpenLambda's ol was not found: looked for "${ol}" on root's PATH (${value || 'empty'})`,
    {
      host: host.label,
      hint: `set the worker's "ol" to the full path of the ol binary (it is built in the open-lambda checkout)`,
    },
  )
}
