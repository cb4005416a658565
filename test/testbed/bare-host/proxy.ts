import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect } from 'node:net'
import { existsSync, readFileSync } from 'node:fs'
import { stopProcess, waitFor } from '../processes'
import { TEST_NET } from './network'

/**
 * The bare hosts' only way out: Debian's tinyproxy on the gateway address, run by the tests on
 * the operator side, as a locked-down site's outbound proxy. apt on each host is configured for
 * it; pip, uv and bandersnatch reach it only if the product passes the site's `proxy`.
 * `stop()` mid-test is a network loss as the host sees it; `start()` brings it back.
 */
export interface TestProxy {
  /** http://10.213.1.1:3128 */
  url: string
  /** What it was asked for, one line each ("GET http://127.0.0.1:4123/simple/", "CONNECT pypi.org:443"). */
  requests(): string[]
  clearRequests(): void
  running(): boolean
  start(): Promise<void>
  stop(): Promise<void>
  /** Stops it for good and removes its files. */
  dispose(): Promise<void>
}

export const PROXY_PORT = 3128

function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host)
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

export async function startTestProxy(): Promise<TestProxy> {
  const dir = await mkdtemp(join(tmpdir(), 'pmw-proxy-'))
  const config = join(dir, 'tinyproxy.conf')
  const logFile = join(dir, 'requests.log')
  await writeFile(
    config,
    [
      `Port ${PROXY_PORT}`,
      `Listen ${TEST_NET.gateway}`,
      `Allow ${TEST_NET.prefix}.0/${TEST_NET.cidr}`,
      'Timeout 300',
      'MaxClients 200',
      // One line per request, nothing else; a file, as its stderr is block-buffered in a pipe.
      'LogLevel Connect',
      `LogFile "${logFile}"`,
      'DisableViaHeader Yes',
      '',
    ].join('\n'),
  )
  let child: ChildProcess | undefined
  let stderr = ''
  /** How much of the log file clearRequests() has put behind. */
  let seen = 0
  const proxy: TestProxy = {
    url: `http://${TEST_NET.gateway}:${PROXY_PORT}`,
    requests: () =>
      readLog().flatMap((line) => {
        const match = line.match(/Request \(file descriptor \d+\): (\S+ \S+)/)
        return match ? [match[1] as string] : []
      }),
    clearRequests: () => {
      seen += readLog().length
    },
    running: () => !!child && child.exitCode === null && child.signalCode === null,
    async start() {
      if (proxy.running()) return
      // -d: stay in the foreground.
      const started = spawn('tinyproxy', ['-d', '-c', config], {
        stdio: ['ignore', 'ignore', 'pipe'],
      })
      child = started
      started.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
      await waitFor(async () => {
        if (started.exitCode !== null)
          throw new Error(`tinyproxy exited ${started.exitCode}:\n${stderr}`)
        return portOpen(TEST_NET.gateway, PROXY_PORT)
      }, `tinyproxy on ${TEST_NET.gateway}:${PROXY_PORT}`)
    },
    async stop() {
      if (child) await stopProcess(child)
    },
    async dispose() {
      await proxy.stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
  function readLog(): string[] {
    const text = existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''
    // Complete lines only: the last one may still be being written.
    return text.split('\n').slice(0, -1).slice(seen)
  }
  await proxy.start()
  return proxy
}
