import { basename } from 'node:path'
import { FleetHistory } from '../app-data/fleet-history'
import { HistoryStore, type RunRecording } from '../app-data/history-store'
import type { RunStatus } from '../app-data/history-types'
import type { FleetEvent } from '../engine/fleet'
import { commandLine } from '../engine/remote/quote'
import type { RunEvent } from '../engine/run'
import type { RemoteHost } from '../engine/ssh/remote-host'
import type { CliOptions } from './args'
import { dataDirOf } from './connect'

type Outcome = { status?: RunStatus; error?: string | null }

/** What a recorded run hands back: the emit to use instead, and the end of the recording. */
export interface Recorded<E> {
  emit(event: E): void
  /** Ends the recording; the status comes from the run's own events unless given here. */
  finish(outcome?: Outcome): Promise<void>
}

/** A failure for the history: the error's message. */
export const failedWith = (error: unknown): Outcome => ({
  status: 'failed',
  error: error instanceof Error ? error.message : String(error),
})

/**
 * The CLI's runs in the app's activity history (face `cli`), so a headless apply shows in the
 * app beside the wizard's and the dashboard's, redacted the same way. Recording never fails a
 * run: a history that cannot be written is a warning.
 */
export class CliHistory {
  private readonly store: HistoryStore | null
  private readonly action: string
  private readonly site: string

  constructor(
    options: CliOptions,
    private readonly warn: (text: string) => void,
  ) {
    this.store = options.history ? new HistoryStore(dataDirOf(options)) : null
    this.action = `pip-mirror ${options.command}`
    this.site = basename(options.site).replace(/\.json$/, '')
  }

  private start(host: string): RunRecording | null {
    if (!this.store) return null
    const env = process.env
    return this.store.record({
      face: 'cli',
      action: this.action,
      host,
      site: this.site,
      secrets: [
        env.PIP_MIRROR_SSH_PASSWORD,
        env.PIP_MIRROR_SUDO_PASSWORD,
        env.PIP_MIRROR_KEY_PASSPHRASE,
      ],
    })
  }

  private async end(finishing: Promise<unknown>): Promise<void> {
    await finishing.catch((error: unknown) =>
      this.warn(
        `Could not record this run in the activity history (${this.store?.dir}): ${(error as Error).message}\n`,
      ),
    )
  }

  /** One host's step run (the mirror host). */
  run(host: string, emit: (event: RunEvent) => void): Recorded<RunEvent> {
    const recording = this.start(host)
    return {
      emit: (event) => {
        recording?.emit(event)
        emit(event)
      },
      finish: async (outcome = {}) => {
        if (recording) await this.end(recording.finish(outcome))
      },
    }
  }

  /** Work done outside the step runner (the repair): every command and output line of the host. */
  watch(host: RemoteHost): Recorded<never> {
    const recording = this.start(host.label)
    const stop = host.onEvent((event) => {
      if (event.type === 'command')
        recording?.emit({
          type: 'log',
          step: this.action,
          stream: 'command',
          line: `${event.sudo ? '(as root) ' : ''}$ ${commandLine(event.argv)}`,
        })
      else if (event.type === 'output')
        recording?.emit({ type: 'log', step: this.action, stream: event.stream, line: event.line })
    })
    return {
      emit: () => undefined,
      finish: async (outcome = {}) => {
        stop()
        if (recording) await this.end(recording.finish(outcome))
      },
    }
  }

  /** A fleet run: one recorded run per worker host. */
  fleet(emit: (event: FleetEvent) => void): Recorded<FleetEvent> {
    const fleet = this.store ? new FleetHistory((host) => this.start(host) as RunRecording) : null
    return {
      emit: (event) => {
        fleet?.event(event)
        emit(event)
      },
      finish: async () => {
        if (fleet) await this.end(fleet.finish())
      },
    }
  }
}
