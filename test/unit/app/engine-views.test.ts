import { describe, expect, it } from 'vitest'
import {
  changeView,
  errorView,
  fleetHostView,
  runEventView,
} from '../../../src-main/app/engine-views'
import { EngineError, errorValue } from '../../../src-main/engine/errors'
import { runEventViewSchema } from '#shared/ipc/engine-schemas'

describe('engine views', () => {
  it('sends commands as the engine quotes them, never as argv', () => {
    const view = changeView({
      kind: 'command',
      summary: 'Resolve',
      argv: ['uv', 'pip', 'compile', 'a file; rm -rf /'],
      sudo: true,
    })
    expect(view).toEqual({
      kind: 'command',
      summary: 'Resolve',
      command: "uv pip compile 'a file; rm -rf /'",
      sudo: true,
    })
  })

  it('turns plan events into views that the contract accepts', () => {
    const event = runEventView({
      type: 'plan',
      step: 'nginx',
      plan: {
        changes: [{ kind: 'command', summary: 'Check', argv: ['nginx', '-t'], sudo: true }],
        notes: [],
      },
    })
    expect(runEventViewSchema.parse(event)).toEqual({
      type: 'plan',
      step: 'nginx',
      plan: {
        changes: [{ kind: 'command', summary: 'Check', command: 'nginx -t', sudo: true }],
        notes: [],
      },
    })
  })

  it('splits an engine error into what failed and what to do', () => {
    expect(
      errorView(new EngineError('No answer', { host: 'h:22', hint: 'check the port' })),
    ).toEqual({
      message: 'No answer (on h:22)',
      hint: 'check the port',
    })
    expect(errorView(new EngineError('Sync failed', { host: 'h', hint: 'apply again' }))).toEqual({
      message: 'Sync failed (on h)',
      hint: 'apply again',
    })
    expect(errorView(new Error('plain'))).toEqual({ message: 'plain' })
  })

  it('keeps what to do about a failed worker, and leaves its run in main', () => {
    const failure = new EngineError('No answer', { host: 'root@w:22', hint: 'check sshd' })
    const view = fleetHostView({
      host: 'root@w:22:/srv/ol',
      state: 'failed',
      changes: 0,
      failure: errorValue(failure),
      findings: [],
      line: 'FAILED at "Connect": No answer (on root@w:22)',
      summary: { runId: 'r', status: 'failed', steps: [], proofs: {} },
    })
    expect(view).toEqual({
      host: 'root@w:22:/srv/ol',
      state: 'failed',
      changes: 0,
      failure: { message: 'No answer (on root@w:22)', hint: 'check sshd' },
      findings: [],
      line: 'FAILED at "Connect": No answer (on root@w:22)',
    })
  })
})
