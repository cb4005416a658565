import type { z } from 'zod'
import { EngineError } from '../errors'
import { scriptCommand } from './quote'
import type { RemoteHost } from '../ssh/remote-host'
import { VENV_PYTHON } from '../steps/mirror-layout'

/** Exit code of the wrapper when the host has no Python at all. */
const NO_PYTHON = 127

/**
 * Runs a fixed Python program on a host: the wizard's tools venv when it is there (it has
 * pip and, inside it, the `packaging` library), else the system's python3.
 */
const PYTHON_WRAPPER = `
program=$1; shift
for py in ${VENV_PYTHON} /usr/bin/python3 python3; do
  if command -v "$py" >/dev/null 2>&1; then exec "$py" -c "$program" "$@"; fi
done
echo "python3 is not installed" >&2
exit ${NO_PYTHON}`

export interface PythonRunOptions {
  stdin?: string
  sudo?: boolean
}

/**
 * Runs `program` with `args` and reads one JSON document from its output, checked against
 * `schema`. Quiet: callers log a one-line summary instead of the program text.
 */
export async function runPythonJson<T>(
  host: RemoteHost,
  what: string,
  program: string,
  args: readonly string[],
  schema: z.ZodType<T>,
  options: PythonRunOptions = {},
): Promise<T> {
  const result = await host.read(scriptCommand(PYTHON_WRAPPER, [program, ...args]), {
    quiet: true,
    ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
    ...(options.sudo ? { sudo: true } : {}),
  })
  if (result.code === NO_PYTHON)
    throw new EngineError(`${what} needs python3, which is not installed`, {
      host: host.label,
      hint: 'install python3 on the host (apt-get install python3 python3-venv)',
    })
  const lastLine = result.stdout.trim().split('\n').pop() ?? ''
  let parsed: unknown
  try {
    parsed = JSON.parse(lastLine)
  } catch {
    const tail = (result.stderr || result.stdout).trim().split('\n').slice(-6).join('\n')
    throw new EngineError(`${what} failed (exit code ${result.code}): ${tail}`, {
      host: host.label,
    })
  }
  const checked = schema.safeParse(parsed)
  if (!checked.success)
    throw new EngineError(`${what} answered something unexpected: ${lastLine.slice(0, 300)}`, {
      host: host.label,
    })
  return checked.data
}
