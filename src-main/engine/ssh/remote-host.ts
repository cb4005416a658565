import type { Client, SFTPWrapper } from 'ssh2'
import { EngineError } from '../errors'
import { explainCommandFailure } from '../remote/command-failure'
import { commandLine, scriptCommand } from '../remote/quote'
import type { SshTarget } from '#shared/site'
import { openConnection, type ConnectOptions } from './connect'
import { execOnChannel, type ExecResult, type OutputStream } from './exec'
import type { HostKeyInfo } from './host-keys'
import {
  DETECT_PRIVILEGE_SCRIPT,
  parseIdentity,
  sudoPrefix,
  type Identity,
  type Privilege,
} from './privilege'
import {
  SUDO_REFUSED_EXIT,
  sudoPasswordInput,
  sudoWithPasswordArgv,
  validateSudoPasswordArgv,
} from './sudo-password'

export type HostEvent =
  | { type: 'command'; host: string; argv: readonly string[]; sudo: boolean }
  | { type: 'output'; host: string; stream: OutputStream; line: string }
  | { type: 'file-write'; host: string; path: string; backupPath: string | null }

export interface RunOptions {
  /** Run as root (directly, or through sudo; a password goes to sudo's askpass, never to stdin). */
  sudo?: boolean
  stdin?: string | Buffer
  onLine?: (line: string, stream: OutputStream) => void
  signal?: AbortSignal
  /** Do not report the command and its output as events (for polling that would flood the log). */
  quiet?: boolean
  /** The command writes this file and nothing else (the guard checks the write, not the argv). */
  writes?: string
}

/**
 * What may change a host right now. While a plan is made nothing may; while it is applied, only
 * the change being executed. Reads (`RemoteHost.read`) are always allowed.
 */
export interface ChangeGuard {
  /** null when allowed; otherwise why not, for the error. */
  check(operation: GuardedOperation): string | null
}

export type GuardedOperation =
  { kind: 'command'; argv: readonly string[]; sudo: boolean } | { kind: 'write'; path: string }

export class UnplannedChangeError extends EngineError {
  override name = 'UnplannedChangeError'
}

export class CommandFailedError extends EngineError {
  override name = 'CommandFailedError'
  constructor(
    readonly argv: readonly string[],
    readonly result: ExecResult,
    host: string,
  ) {
    // Bare hosts (issue 14): the cause in one sentence when the output says it (network, disk).
    const { cause, hint, tail } = explainCommandFailure(argv, result)
    super(
      `\`${commandLine(argv).slice(0, 300)}\` failed with exit code ${result.code ?? result.signal}${cause ? `: ${cause}` : ''}${tail ? `:\n${tail}` : ''}`,
      hint ? { host, hint } : { host },
    )
  }
}

/** At most this many channels at once; OpenSSH's default MaxSessions is 10. */
const MAX_CHANNELS = 8

/**
 * One SSH connection to one host, reused for every command and file transfer (channels, not
 * reconnects). Everything that runs is reported as a `command` event before it runs.
 */
/** The error code of a sudo password the host refused (nothing ran as root). */
export const SUDO_REFUSED = 'sudo-refused'

export class RemoteHost {
  readonly label: string
  private readonly listeners = new Set<(event: HostEvent) => void>()
  private identityInfo: Identity | undefined
  private sudoPasswordCheck: Promise<void> | undefined
  private sftpSession: Promise<SFTPWrapper> | undefined
  private activeChannels = 0
  private readonly waiting: (() => void)[] = []
  private closed = false
  private guard: ChangeGuard | null = null
  /** Rejects when the connection ends, so no command waits forever on a channel that died with it. */
  private readonly lost: Promise<never>

  private constructor(
    private readonly client: Client,
    readonly target: SshTarget,
    readonly hostKey: HostKeyInfo,
    private readonly sudoPassword: string | undefined,
  ) {
    this.label = `${target.user}@${target.host}:${target.port}`
    this.lost = new Promise<never>((_, reject) => {
      const onLost = (): void => {
        this.closed = true
        reject(this.lostError())
      }
      client.on('close', onLost)
      client.on('error', onLost)
    })
    this.lost.catch(() => undefined)
  }

  /** Waits for work on this connection, failing at once if the connection ends first. */
  whileConnected<T>(work: Promise<T>): Promise<T> {
    // Once the connection is gone the work fails too, later; nobody waits for it any more.
    work.catch(() => undefined)
    if (this.closed) return Promise.reject(this.lostError())
    return Promise.race([work, this.lost])
  }

  private lostError(): EngineError {
    return new EngineError('The SSH connection was lost', {
      host: this.label,
      hint: 'connect again; steps that were under way can be run again safely',
    })
  }

  static async connect(target: SshTarget, options: ConnectOptions): Promise<RemoteHost> {
    const { client, hostKey } = await openConnection(target, options)
    const { sudoPassword, password } = options.credentials
    return new RemoteHost(client, target, hostKey, sudoPassword ?? password)
  }

  get hasSudoPassword(): boolean {
    return this.sudoPassword !== undefined
  }

  get isConnected(): boolean {
    return !this.closed
  }

  onEvent(listener: (event: HostEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Reports an event to every listener (steps use it for file writes done over SFTP). */
  report(event: HostEvent): void {
    for (const listener of this.listeners) listener(event)
  }

  private async withChannel<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) throw this.lostError()
    while (this.activeChannels >= MAX_CHANNELS)
      await new Promise<void>((resolve) => this.waiting.push(resolve))
    this.activeChannels++
    try {
      return await this.whileConnected(work())
    } finally {
      this.activeChannels--
      this.waiting.shift()?.()
    }
  }

  /** Puts a guard in place (null removes it); returns the one it replaced. */
  setGuard(guard: ChangeGuard | null): ChangeGuard | null {
    const previous = this.guard
    this.guard = guard
    return previous
  }

  /** Refuses an operation the guard does not allow, saying what and why. */
  checkChange(operation: GuardedOperation): void {
    const why = this.guard?.check(operation)
    if (!why) return
    const what =
      operation.kind === 'command'
        ? `run \`${commandLine(operation.argv).slice(0, 200)}\`${operation.sudo ? ' as root' : ''}`
        : `write ${operation.path}`
    throw new UnplannedChangeError(`Refused to ${what}: ${why}`, {
      host: this.label,
      hint: 'this is a bug in the step that asked: nothing outside the approved plan runs; plan again',
    })
  }

  /**
   * Runs a command that only reads the host (a probe, a status, an HTTP GET from it): allowed
   * while planning and between planned changes. Everything else goes through exec/run.
   */
  read(argv: readonly string[], options: RunOptions = {}): Promise<ExecResult> {
    return this.execute(argv, options)
  }

  /** Runs a command built from an argument array; returns the result whatever the exit code. */
  async exec(argv: readonly string[], options: RunOptions = {}): Promise<ExecResult> {
    this.checkChange(
      options.writes !== undefined
        ? { kind: 'write', path: options.writes }
        : { kind: 'command', argv, sudo: !!options.sudo },
    )
    return this.execute(argv, options)
  }

  private async execute(argv: readonly string[], options: RunOptions): Promise<ExecResult> {
    let fullArgv = argv
    let stdin = options.stdin
    if (options.sudo) {
      const privilege = await this.getPrivilege()
      if (privilege === 'sudo-password') {
        await this.checkSudoPassword()
        stdin = sudoPasswordInput(this.sudoPassword ?? '', stdin)
        fullArgv = sudoWithPasswordArgv(argv)
      } else fullArgv = [...sudoPrefix(privilege), ...argv]
    }
    if (!options.quiet)
      this.report({ type: 'command', host: this.label, argv, sudo: !!options.sudo })
    return this.withChannel(() =>
      execOnChannel(this.client, commandLine(fullArgv), {
        ...(stdin === undefined ? {} : { stdin }),
        ...(options.signal ? { signal: options.signal } : {}),
        onLine: (line, stream) => {
          if (!options.quiet) this.report({ type: 'output', host: this.label, stream, line })
          options.onLine?.(line, stream)
        },
      }),
    ).catch((error: unknown) => {
      if (error instanceof EngineError) throw error
      throw new EngineError(`Running a command failed: ${(error as Error).message}`, {
        host: this.label,
        cause: error,
      })
    })
  }

  /** Like exec, but a non-zero exit is an error that quotes the command's last lines. */
  async run(argv: readonly string[], options: RunOptions = {}): Promise<ExecResult> {
    const result = await this.exec(argv, options)
    if (result.code !== 0) throw new CommandFailedError(argv, result, this.label)
    return result
  }

  /** Like `script`, for a script that only reads the host (see `read`). */
  async readScript(
    script: string,
    args: readonly string[] = [],
    options: RunOptions = {},
  ): Promise<ExecResult> {
    const argv = scriptCommand(script, args)
    const result = await this.read(argv, options)
    if (result.code !== 0) throw new CommandFailedError(argv, result, this.label)
    return result
  }

  /** Runs a fixed script with its inputs as positional parameters ($1, $2 ...). */
  script(
    script: string,
    args: readonly string[] = [],
    options: RunOptions = {},
  ): Promise<ExecResult> {
    return this.run(scriptCommand(script, args), options)
  }

  /** The login's uid and how it becomes root, asked once per connection. */
  async identity(): Promise<Identity> {
    if (!this.identityInfo) {
      const result = await this.read(scriptCommand(DETECT_PRIVILEGE_SCRIPT), { quiet: true })
      this.identityInfo = parseIdentity(result.stdout)
    }
    return this.identityInfo
  }

  /**
   * Takes the identity a command already reported (the facts probe prints the same uid and
   * privilege), so that asking again costs no command. What this connection learned first stays.
   */
  knowIdentity(identity: Identity): void {
    this.identityInfo ??= identity
  }

  async getPrivilege(): Promise<Privilege> {
    return (await this.identity()).privilege
  }

  /** Tries the sudo password once on its own (`sudo -v`), before the first command that needs it. */
  private checkSudoPassword(): Promise<void> {
    this.sudoPasswordCheck ??= this.validateSudoPassword().catch((error: unknown) => {
      this.sudoPasswordCheck = undefined
      throw error
    })
    return this.sudoPasswordCheck
  }

  private async validateSudoPassword(): Promise<void> {
    if (this.sudoPassword === undefined)
      throw new EngineError(`sudo on ${this.label} needs ${this.target.user}'s password`, {
        host: this.label,
        hint: 'enter the sudo password (CLI: set PIP_MIRROR_SUDO_PASSWORD), or log in as root',
      })
    const password = this.sudoPassword
    const result = await this.withChannel(() =>
      execOnChannel(this.client, commandLine(validateSudoPasswordArgv()), {
        stdin: sudoPasswordInput(password, undefined),
      }),
    )
    if (result.code === 0) return
    if (result.code === SUDO_REFUSED_EXIT)
      throw new EngineError(`sudo refused the password for ${this.target.user}`, {
        host: this.label,
        hint: 'check the sudo password; it is the login password of the user on the server',
        code: SUDO_REFUSED,
      })
    if (/not in the sudoers|may not run sudo|not allowed/i.test(result.stderr)) {
      if (this.identityInfo) this.identityInfo.privilege = 'none'
      sudoPrefix('none')
    }
    throw new EngineError(
      `sudo failed for ${this.target.user}: ${result.stderr.trim().split('\n').slice(-3).join(' ') || `exit code ${result.code}`}`,
      { host: this.label, hint: 'check that this user may use sudo on the server' },
    )
  }

  sftp(): Promise<SFTPWrapper> {
    this.sftpSession ??= new Promise<SFTPWrapper>((resolve, reject) => {
      this.client.sftp((error, sftp) => {
        if (error) return reject(error)
        // Failures reach each operation's callback; an unheard 'error' event would crash the process.
        sftp.on('error', () => undefined)
        sftp.on('close', () => {
          this.sftpSession = undefined
        })
        resolve(sftp)
      })
    }).catch((error: unknown) => {
      this.sftpSession = undefined
      throw error
    })
    return this.sftpSession
  }

  close(): void {
    this.closed = true
    this.client.end()
  }
}
