import type {
  EventChannel,
  EventPayload,
  InvokeChannel,
  InvokeRequestInput,
  InvokeResponse,
  InvokeResult,
  PipMirrorBridge,
  SessionSnapshot,
} from '#shared/ipc/contract'

type Answers = {
  [C in InvokeChannel]?: (
    request: InvokeRequestInput<C>,
  ) => InvokeResponse<C> | Promise<InvokeResponse<C>>
}

export interface FakeBridge {
  bridge: PipMirrorBridge
  calls: { channel: InvokeChannel; request: unknown }[]
  /** Delivers an event to the page, as the main process would. */
  emit<C extends EventChannel>(channel: C, payload: EventPayload<C>): void
}

/**
 * `window.pipMirror` for component tests: answers the channels given, and fails the others the
 * way the real bridge reports a handler failure.
 */
export function fakeBridge(answers: Answers): FakeBridge {
  const calls: FakeBridge['calls'] = []
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const bridge = {
    async invoke(channel: InvokeChannel, request?: unknown): Promise<InvokeResult<InvokeChannel>> {
      calls.push({ channel, request })
      const answer = answers[channel] as ((request: unknown) => unknown) | undefined
      if (!answer)
        return {
          ok: false,
          error: { code: 'handler-failed', channel, message: `no answer for ${channel}` },
        }
      return { ok: true, value: (await answer(request)) as InvokeResponse<InvokeChannel> }
    },
    on(channel: string, listener: (payload: unknown) => void) {
      const set = listeners.get(channel) ?? new Set()
      set.add(listener)
      listeners.set(channel, set)
      return () => set.delete(listener)
    },
  } as unknown as PipMirrorBridge
  return {
    bridge,
    calls,
    emit(channel, payload) {
      for (const listener of listeners.get(channel) ?? []) listener(payload)
    },
  }
}

export function snapshot(overrides: Partial<SessionSnapshot> = {}): SessionSnapshot {
  return {
    wizard: { step: 'connect', completed: [] },
    site: {
      directory: '/srv/pypi',
      upstream: 'https://pypi.org',
      allowNonHttps: false,
      proxy: null,
      requirements: [],
      pythonVersions: ['3.11'],
      workers: [],
    },
    connection: { state: 'disconnected', label: null, hostKey: null, hasSecrets: false },
    secretsCanPersist: false,
    stages: {},
    activeRun: null,
    interruptedRun: null,
    commands: [],
    mirrorUrl: null,
    dataDir: '/home/ops/.config/pip-mirror-wizard',
    wizardKey: 'new-0123456789',
    siteId: null,
    dashboardRun: null,
    ...overrides,
  }
}
