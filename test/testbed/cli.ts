import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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

/**
 * The data directory the tests' CLI runs record their history in (unless a test names its own
 * with --data-dir): one per test process, never the machine's ~/.config.
 */
let testDataDir: string | null = null
function cliDataDir(): string {
  if (!testDataDir) {
    const dir = mkdtempSync(join(tmpdir(), 'pmw-cli-history-'))
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }))
    testDataDir = dir
  }
  return testDataDir
}

/** Runs the real `pip-mirror` command as a user would, in its own process. */
export function runPipMirror(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  onOutput?: (text: string) => void,
): Promise<CliResult> {
  return runPipMirrorAt(bin, args, env, onOutput)
}

/** The same with another build of the command (a benchmark compares an earlier one). */
export function runPipMirrorAt(
  cli: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  onOutput?: (text: string) => void,
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env: { ...process.env, PIP_MIRROR_DATA_DIR: cliDataDir(), ...env },
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
