import { EngineError } from '../errors'
import type { RemoteHost } from '../ssh/remote-host'

/**
 * Finds OpenLambda's `ol` as root will run it: an absolute path as given, a bare name on root's
 * PATH (sudo's secure_path when the login is not root). Prints `found=`, `not-executable=` or
 * `missing=` and what was searched.
 */
const LOCATE_OL = `
ol=$1
case "$ol" in
  /*)
    if [ -f "$ol" ] && [ -x "$ol" ]; then echo "found=$ol"
    elif [ -e "$ol" ]; then echo "not-executable=$ol"
    else echo "missing=$ol"; fi ;;
  *)
    if found=$(command -v -- "$ol"); then echo "found=$found"
    else echo "missing=$PATH"; fi ;;
esac`

/** The path `ol` runs from; a clear error naming where it looked when it is not there. */
export async function locateOl(host: RemoteHost, ol: string): Promise<string> {
  const result = await host.readScript(LOCATE_OL, [ol], { sudo: true, quiet: true })
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
