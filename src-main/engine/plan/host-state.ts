import { EngineError } from '../errors'
import { FACTS_SCRIPT, parseFacts, type HostFacts } from '../remote/facts'
import { scriptCommand } from '../remote/quote'
import { SUDO_REFUSED, type RemoteHost } from '../ssh/remote-host'
import readStateScript from './scripts/read-state.sh?raw'
import { requestKey, type ProbeRequest, type StateRequest } from './state-request'

export type FileState =
  | {
      status: 'present'
      sha256: string
      mode: number
      owner: string
      size: number
      content: Buffer | null
    }
  | { status: 'absent' }
  | { status: 'unreadable' }
  | { status: 'not-a-file' }

export interface ProbeResult {
  code: number
  output: string
}

/**
 * What a plan was computed from: the facts and every file, link and probe its steps read, all
 * read in one batched command (and one more as root for what the login user cannot read).
 */
export class HostState {
  constructor(
    readonly facts: HostFacts,
    readonly requests: readonly StateRequest[],
    private readonly results: ReadonlyMap<string, FileState | string | null | ProbeResult>,
  ) {}

  private result(request: StateRequest): FileState | string | null | ProbeResult {
    const key = requestKey(request)
    if (!this.results.has(key))
      throw new Error(`the plan reads ${key}, which no step asked for in its reads()`)
    return this.results.get(key) as FileState | string | null | ProbeResult
  }

  file(path: string): FileState {
    return this.result({ kind: 'file', path }) as FileState
  }

  /** The file's text; null when it does not exist. Throws when it could not be read. */
  text(path: string, host: string): string | null {
    const file = this.file(path)
    if (file.status === 'absent') return null
    if (file.status === 'present' && file.content) return file.content.toString('utf8')
    throw new EngineError(
      file.status === 'not-a-file'
        ? `${path} is not a regular file (a directory or a symlink)`
        : file.status === 'unreadable'
          ? `${path} cannot be read, not even as root`
          : `${path} is too large to read`,
      { host, hint: `look at ${path} on the host; the wizard only manages regular files` },
    )
  }

  /** A symlink's target; null when the path is absent or not a symlink. */
  link(path: string): string | null {
    return this.result({ kind: 'link', path }) as string | null
  }

  probe(request: ProbeRequest): ProbeResult {
    return this.result(request) as ProbeResult
  }

  /** Every result, keyed as requestKey() names them (for the fingerprint). */
  entries(): [string, FileState | string | null | ProbeResult][] {
    return this.requests.map((request) => [requestKey(request), this.result(request)])
  }
}

interface ParsedBatch {
  factsText: string
  records: (FileState | string | null | ProbeResult)[]
}

function parseBatch(text: string, requests: readonly StateRequest[]): ParsedBatch {
  const lines = text.split('\n')
  const first = lines.findIndex((line) => line.startsWith('@'))
  const factsText = (first < 0 ? lines : lines.slice(0, first)).join('\n')
  const records: ParsedBatch['records'] = []
  for (let i = first < 0 ? lines.length : first; i < lines.length; i++) {
    const line = lines[i] as string
    if (!line.startsWith('@')) continue
    const [tag, , status, ...rest] = line.split(' ')
    if (tag === '@f') {
      if (status === 'ok') {
        const [sha256, mode, owner, size] = rest
        const body = lines[++i] ?? '-'
        records.push({
          status: 'present',
          sha256: sha256 ?? '',
          mode: parseInt(mode ?? '0', 8),
          owner: owner ?? '',
          size: Number(size),
          content: body === '-' ? null : Buffer.from(body, 'base64'),
        })
      } else
        records.push({
          status:
            status === 'absent' ? 'absent' : status === 'notfile' ? 'not-a-file' : 'unreadable',
        })
    } else if (tag === '@l')
      records.push(
        status === 'target' ? Buffer.from(rest[0] ?? '', 'base64').toString('utf8') : null,
      )
    else if (tag === '@p')
      records.push({
        code: Number(status),
        output: Buffer.from(lines[++i] ?? '', 'base64').toString('utf8'),
      })
  }
  if (records.length !== requests.length)
    throw new EngineError(
      `The host's state read answered ${records.length} of ${requests.length} requests`,
      { hint: 'run the plan again; if it persists, the host may lack sha256sum, stat or base64' },
    )
  return { factsText, records }
}

function batchArgv(requests: readonly StateRequest[], factsFor: string | null): string[] {
  const args: string[] = [factsFor === null ? '' : FACTS_SCRIPT, factsFor ?? '']
  for (const request of requests) {
    if (request.kind === 'probe')
      args.push(
        'p',
        request.probe.name,
        String(request.args.length),
        request.probe.script,
        ...request.args,
      )
    else args.push(request.kind === 'file' ? 'f' : 'l', request.path)
  }
  return scriptCommand(readStateScript, args)
}

/** True when the login can read as root without asking anything it does not have. */
async function canReadAsRoot(host: RemoteHost): Promise<boolean> {
  const privilege = await host.getPrivilege()
  return (
    privilege === 'root' ||
    privilege === 'sudo-nopasswd' ||
    (privilege === 'sudo-password' && host.hasSudoPassword)
  )
}

/**
 * The batch as root; null when sudo refused the password (what only root can read stays unread,
 * and preflight's privilege check says why, as a finding of its own).
 */
async function readAsRoot(host: RemoteHost, asRoot: readonly StateRequest[]) {
  try {
    return await host.read(batchArgv(asRoot, null), { quiet: true, sudo: true })
  } catch (error) {
    if (error instanceof EngineError && error.details.code === SUDO_REFUSED) return null
    throw error
  }
}

/**
 * Reads the facts and every request in one command as the login user; what that user cannot read
 * (and probes that need root) is read in one more command as root, when the login can. The
 * facts tell the host how its login becomes root, so no command asks that separately.
 */
export async function readHostState(
  host: RemoteHost,
  requests: readonly StateRequest[],
  mirrorDirectory: string,
): Promise<HostState> {
  // Logged in as root, the probes that need root are read in the same (first) command.
  const root = host.target.user === 'root'
  const asUser = requests.filter((r) => root || !(r.kind === 'probe' && r.probe.sudo))
  const first = await host.read(batchArgv(asUser, mirrorDirectory), { quiet: true })
  if (first.code !== 0)
    throw new EngineError(
      `Reading the host's state failed: ${first.stderr.trim() || `exit ${first.code}`}`,
      {
        host: host.label,
        hint: 'the host needs a POSIX sh with sha256sum, stat and base64 (coreutils)',
      },
    )
  const parsed = parseBatch(first.stdout, asUser)
  const facts = parseFacts(parsed.factsText)
  // The facts hold the login's uid and privilege: sudo below needs no command of its own to ask.
  host.knowIdentity({ uid: facts.uid, privilege: facts.sudo })
  const results = new Map<string, FileState | string | null | ProbeResult>()
  asUser.forEach((request, i) => results.set(requestKey(request), parsed.records[i] ?? null))

  const asRoot = requests.filter((request) => {
    if (request.kind === 'probe') return !root && !!request.probe.sudo
    const seen = results.get(requestKey(request))
    return request.kind === 'file' && (seen as FileState).status === 'unreadable'
  })
  const second =
    asRoot.length > 0 && (await canReadAsRoot(host)) ? await readAsRoot(host, asRoot) : null
  if (second) {
    if (second.code !== 0)
      throw new EngineError(`Reading the host's state as root failed: ${second.stderr.trim()}`, {
        host: host.label,
      })
    const again = parseBatch(second.stdout, asRoot)
    asRoot.forEach((request, i) => results.set(requestKey(request), again.records[i] ?? null))
  } else
    for (const request of asRoot)
      if (request.kind === 'probe')
        results.set(requestKey(request), { code: 126, output: '' } satisfies ProbeResult)
  return new HostState(facts, requests, results)
}
