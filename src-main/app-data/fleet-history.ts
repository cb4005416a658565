import type { RunRecording } from './history-store'
import type { FleetEvent } from '../engine/fleet'

/**
 * The activity history of a fleet run: one recorded run per worker host (the history says which
 * host each run was on), fed with that host's own run events.
 */
export class FleetHistory {
  private readonly recordings = new Map<string, RunRecording>()
  private readonly failures = new Map<string, string>()

  constructor(private readonly start: (host: string) => RunRecording) {}

  private recordingOf(host: string): RunRecording {
    let recording = this.recordings.get(host)
    if (!recording) {
      recording = this.start(host)
      this.recordings.set(host, recording)
    }
    return recording
  }

  event(event: FleetEvent): void {
    if (event.type === 'fleet-host') this.recordingOf(event.host).emit(event.event)
    else if (event.type === 'fleet-host-status') {
      // A host that could not even be reached has no run events: its status line says why.
      if (event.state === 'failed') this.failures.set(event.host, event.line)
      else if (event.state === 'connecting') this.recordingOf(event.host).line(event.line)
    }
  }

  async finish(): Promise<void> {
    for (const [host, line] of this.failures) {
      const recording = this.recordingOf(host)
      recording.line(line, 'stderr')
    }
    await Promise.all(
      [...this.recordings].map(([host, recording]) =>
        recording.finish(
          this.failures.has(host)
            ? { status: 'failed', error: this.failures.get(host) ?? null }
            : {},
        ),
      ),
    )
  }
}
