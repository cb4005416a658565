import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { execFileAsync } from './processes'

const root = fileURLToPath(new URL('../..', import.meta.url))
const bin = `${root}bin/pip-mirror.js`

/** Builds the `pip-mirror` command once if the test run did not (the README's test command does). */
export async function ensureCliBuilt(): Promise<void> {
  if (!existsSync(`${root}out/cli/pip-mirror.js`))
    await execFileAsync('npm', ['run', '--silent', 'build:cli'], { cwd: root })
}

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs the real `pip-mirror` command as a user would, in its own process. */
export function runPipMirror(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  onOutput?: (text: string) => void,
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
      onOutput?.(stdout)
    })
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
  })
}

/** The JSON-lines output of `--json`: every event, then the summary. */
export function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
}
