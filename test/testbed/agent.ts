import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { existsSync } from 'node:fs'
import { sh, stopProcess, waitFor } from './processes'

/** A real ssh-agent on a socket in `dir`, holding the given private keys. */
export async function startAgent(
  dir: string,
  keyPaths: string[],
): Promise<{ socket: string; stop(): Promise<void> }> {
  const socket = join(dir, 'agent.sock')
  const child: ChildProcess = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' })
  await waitFor(() => existsSync(socket), 'ssh-agent socket')
  for (const key of keyPaths)
    await sh('ssh-add', ['-q', key], { env: { ...process.env, SSH_AUTH_SOCK: socket } })
  return { socket, stop: () => stopProcess(child) }
}
