import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { commandLine } from '../../src-main/engine/remote/quote'
import { waitFor } from './processes'

const bin = fileURLToPath(new URL('../../bin/pip-mirror.js', import.meta.url))

export interface TerminalRun {
  /** Everything the terminal showed so far (the program's output and the echo of what was typed). */
  output(): string
  /** Types text, as a person would (end a line with "\r", the Enter key). */
  type(text: string): void
  /** Waits until the terminal shows something that `seen` accepts. */
  waitFor(seen: (output: string) => boolean, what: string, timeoutMs?: number): Promise<void>
  exited: Promise<number>
  stop(): void
}

/**
 * Runs the real `pip-mirror` command on a pseudo-terminal (util-linux `script`), so that it sees a
 * person at a terminal: its prompts appear, and what the test types answers them.
 */
export function runPipMirrorOnTerminal(args: string[], env: NodeJS.ProcessEnv = {}): TerminalRun {
  const child = spawn(
    'script',
    [
      '--quiet',
      '--flush',
      '--return',
      '--command',
      commandLine([process.execPath, bin, ...args]),
      '/dev/null',
    ],
    { env: { ...process.env, ...env, TERM: 'dumb' }, stdio: ['pipe', 'pipe', 'pipe'] },
  )
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)))
  return {
    output: () => output,
    type: (text) => void child.stdin.write(text),
    waitFor: (seen, what, timeoutMs = 30_000) => waitFor(() => seen(output), what, timeoutMs),
    exited,
    stop: () => {
      child.stdin.end()
      if (child.exitCode === null) child.kill('SIGTERM')
    },
  }
}
