import type { z } from 'zod'
import { EngineError } from '../errors'
import { scriptCommand } from './quote'
import pythonWrapper from './scripts/python-wrapper.sh?raw'
import type { RemoteHost } from '../ssh/remote-host'
import { VENV_PYTHON } from '../steps/mirror-layout'

/** Exit code of python-wrapper.sh when the host has no Python at all. */
const NO_PYTHON = 127

export interface PythonRunOptions {
  stdin?: string
  sudo?: boolean
}

/**
 * Runs a fixed Python program on a host (python-wrapper.sh: the wizard's tools venv when it is
 * there, with pip and, inside it, the `packaging` library; else the system's python3).
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
  const result = await host.read(scriptCommand(pythonWrapper, [VENV_PYTHON, program, ...args]), {
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
