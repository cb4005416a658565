import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { errorView, runEventView } from '../../src-main/app/engine-views'
import { humanRenderer, renderSummary } from '../../src-main/cli/render'
import { readRemoteFile } from '../../src-main/engine/ssh/files'
import { RemoteHost } from '../../src-main/engine/ssh/remote-host'
import { runSteps, type RunEvent } from '../../src-main/engine/run'
import { parseSite } from '#shared/site'
import type { Step } from '../../src-main/engine/steps/step'
import { makeClientKey, startSshd, type TestSshd } from '../testbed/sshd'

/**
 * A host whose programs print what could drive a terminal or reorder text: escape sequences
 * (clear line, window title, cursor moves), a carriage return, backspaces, a C1 CSI, and a
 * right-to-left override in output, a file name and a file's content. What the engine reports is
 * passed through the CLI's renderer and the app's event views, as the command and the page do.
 */
const HOSTILE =
  // eslint-disable-next-line no-control-regex
  /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/

let sshd: TestSshd
let work: string
let host: RemoteHost

beforeAll(async () => {
  sshd = await startSshd()
  work = await mkdtemp(join(tmpdir(), 'pmw-host-output-'))
  await chmod(work, 0o755)
  const key = await makeClientKey(work, 'key')
  await sshd.authorize('root', key)
  host = await RemoteHost.connect(
    { host: sshd.host, port: sshd.port, user: 'root', identityFile: key.path },
    {
      credentials: {},
      trust: {
        knownHostsPath: join(work, 'known_hosts'),
        acceptFingerprint: sshd.hostKeyFingerprint,
      },
    },
  )
})

afterAll(async () => {
  host?.close()
  await sshd?.stop()
  await rm(work, { recursive: true, force: true })
})

const site = parseSite({
  mirror: {
    ssh: { host: '127.0.0.1', user: 'root' },
    requirements: ['alpha'],
    serve: { listen: '127.0.0.1:8080' },
  },
})

/** What the host prints: the bytes are made on the host by printf, never sent from here. */
const PRINT_HOSTILE = [
  'printf "sync failed\\033[2K\\rsync OK\\n"',
  'printf "\\033]0;owned\\007title\\n"',
  'printf "rm -rf /\\b\\b\\b\\b\\b\\b\\b\\bls\\n"',
  'printf "\\302\\2332Jcleared\\n"',
  'name=$(printf "invoice\\342\\200\\256fdp.exe"); : > "$1/$name"; ls "$1"',
  'printf "\\033[31mred error\\033[0m\\n" >&2',
].join('; ')

function hostileStep(dir: string): Step {
  const file = join(dir, 'seen.conf')
  return {
    id: 'hostile',
    title: 'A host that prints control characters',
    async plan(ctx) {
      // A file's content as read from the host (written there before the plan), shown as a diff.
      const content = (await readRemoteFile(ctx.host, file))?.toString() ?? ''
      return {
        changes: [
          {
            kind: 'command',
            summary: 'print hostile bytes',
            argv: ['sh', '-c', PRINT_HOSTILE, 'sh', dir],
            sudo: false,
          },
          {
            kind: 'command',
            summary: 'fail with hostile bytes',
            argv: ['sh', '-c', 'printf "broken\\033[2K\\r\\342\\200\\256 all fine\\n" >&2; exit 3'],
            sudo: false,
          },
          // Never written: the command before it fails. It is here for its diff in the plan.
          {
            kind: 'file',
            summary: `rewrite ${file}`,
            path: file,
            content: 'listen 8080;\n',
            replaces: null,
            mode: 0o644,
            owner: 'root',
            sudo: false,
            backup: false,
            diff: `-${content}+listen 8080;\n`,
          },
        ],
        notes: [`the host says: ${content.trim()}`],
      }
    },
  }
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.flatMap(strings)
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings)
  return []
}

describe('output from hosts', () => {
  it('reaches the CLI and the page without control characters or bidi controls', async () => {
    await host.run([
      'sh',
      '-c',
      'printf "listen 80;\\342\\200\\256 # ;08 netsil\\n" > "$1"',
      'sh',
      join(work, 'seen.conf'),
    ])
    const events: RunEvent[] = []
    const summary = await runSteps([hostileStep(work)], host, site, { mode: 'apply' }, (e) =>
      events.push(e),
    )
    expect(summary.status).toBe('failed')
    // The engine keeps what the host said, exactly (the sanitising is at the edges).
    const raw = events.flatMap(strings).join('\n')
    expect(raw).toMatch(HOSTILE)

    let printed = ''
    const render = humanRenderer(
      { write: (t) => (printed += t), isTTY: false },
      { showOutput: true },
    )
    for (const event of events) render(event)
    printed += renderSummary(summary, false)
    const shown = events.map(runEventView).flatMap(strings)
    shown.push(...strings(errorView(new Error(summary.error ?? ''))))

    for (const text of [printed, ...shown]) expect(text).not.toMatch(HOSTILE)
    // What was printed is still there to read, in its real order.
    for (const words of [
      'sync failedsync OK',
      'title',
      'invoicefdp.exe',
      'red error',
      'cleared',
      'broken all fine',
    ])
      expect(printed).toContain(words)
    expect(printed).toContain('listen 80; # ;08 netsil')
    expect(shown.join('\n')).toContain('invoicefdp.exe')
    expect(shown.join('\n')).toContain('broken all fine')
  })
})
