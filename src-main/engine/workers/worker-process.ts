import { EngineError } from '../errors'
import { readRemoteFile } from '../ssh/files'
import type { RemoteHost } from '../ssh/remote-host'
import { describeProbe, probeUrl } from './http-probe'
import { readWorkerConfig, workerLogPath, workerStatusUrl } from './worker-config-file'

export interface WorkerState {
  /** http://localhost:<worker_port>/status, as `ol worker status` asks it; null without a config. */
  statusUrl: string | null
  answering: boolean
  /** "ready", "HTTP 404", "no answer: Connection refused" ... */
  answer: string
}

/** Asks the worker's /status from the worker host, as `ol worker status` does. */
export async function workerState(host: RemoteHost, workerDir: string): Promise<WorkerState> {
  const config = await readWorkerConfig(host, workerDir)
  const statusUrl = workerStatusUrl(config)
  if (!statusUrl) return { statusUrl, answering: false, answer: 'no worker_port in config.json' }
  const probe = await probeUrl(host, statusUrl, 2)
  const ready = probe.status === 200 && probe.body.trim() === 'ready'
  return { statusUrl, answering: ready, answer: ready ? 'ready' : describeProbe(probe) }
}

/** The last lines of worker.out, where `ol worker up -d` sends the worker's output. */
export async function workerLogTail(
  host: RemoteHost,
  workerDir: string,
  lines = 20,
): Promise<string[]> {
  const log = await readRemoteFile(host, workerLogPath(workerDir))
  if (log === null) return [`(${workerLogPath(workerDir)} does not exist)`]
  return log.toString('utf8').replace(/\n$/, '').split('\n').slice(-lines)
}

/** Polls /status until the worker answers "ready"; the log tail is in the error otherwise. */
export async function waitForWorker(
  host: RemoteHost,
  workerDir: string,
  timeoutMs = 30_000,
  signal?: AbortSignal,
): Promise<WorkerState> {
  const deadline = Date.now() + timeoutMs
  let state = await workerState(host, workerDir)
  while (!state.answering && Date.now() < deadline && !signal?.aborted) {
    await new Promise((resolve) => setTimeout(resolve, 500))
    state = await workerState(host, workerDir)
  }
  if (state.answering) return state
  const tail = await workerLogTail(host, workerDir, 12)
  throw new EngineError(
    `The worker does not answer ${state.statusUrl ?? '/status'} (${state.answer}); the end of worker.out:\n${tail.join('\n')}`,
    {
      host: host.label,
      hint: 'read worker.out; `ol worker up -p <dir>` without -d shows the same',
    },
  )
}
