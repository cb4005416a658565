import { describe, expect, it, vi } from 'vitest'
import { EVENT_CHANNELS, INVOKE_CHANNELS } from '#shared/ipc/channels'
import { eventContract, invokeContract, type InvokeHandlers } from '#shared/ipc/contract'
import { isAppPageUrl } from '../../src-main/electron/app-origin'
import { dispatchInvoke } from '../../src-main/electron/dispatch'
import { createHandlers } from '../../src-main/electron/handlers'
import { EngineError } from '../../src-main/engine/errors'

function handlersWithEmitter() {
  const emit = vi.fn()
  return { emit, handlers: createHandlers({ appVersion: '1.2.3', emit }) }
}

describe('the IPC contract', () => {
  it('has one schema per channel name, and no others', () => {
    expect(Object.keys(invokeContract).sort()).toEqual([...INVOKE_CHANNELS].sort())
    expect(Object.keys(eventContract).sort()).toEqual([...EVENT_CHANNELS].sort())
  })
})

describe('dispatchInvoke', () => {
  it('answers app:version without a request', async () => {
    const { handlers } = handlersWithEmitter()
    expect(await dispatchInvoke(handlers, 'app:version', undefined)).toEqual({
      ok: true,
      value: '1.2.3',
    })
  })

  it.each([
    ['a wrong type', { text: 42 }],
    ['a missing field', {}],
    ['an unknown field', { text: 'hi', command: 'id' }],
    ['no object at all', 'hi'],
  ])('refuses a request with %s before any handler runs', async (_case, request) => {
    const { handlers, emit } = handlersWithEmitter()
    const result = await dispatchInvoke(handlers, 'clipboard:write-text', request)
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'invalid-request', channel: 'clipboard:write-text' },
    })
    expect(emit).not.toHaveBeenCalled()
  })

  it('refuses channels the contract does not name', async () => {
    const { handlers } = handlersWithEmitter()
    for (const channel of ['engine:shell', '__proto__', 42, undefined]) {
      expect(await dispatchInvoke(handlers, channel, {})).toMatchObject({
        ok: false,
        error: { code: 'unknown-channel' },
      })
    }
  })

  it('turns a failing handler into a failure result', async () => {
    const handlers: InvokeHandlers = {
      ...handlersWithEmitter().handlers,
      'clipboard:write-text': async () => {
        throw new Error('host mirror.example is unreachable')
      },
    }
    expect(await dispatchInvoke(handlers, 'clipboard:write-text', { text: 'hi' })).toEqual({
      ok: false,
      error: {
        code: 'handler-failed',
        channel: 'clipboard:write-text',
        message: 'host mirror.example is unreachable',
      },
    })
  })

  it('keeps what the engine said to do when a handler fails', async () => {
    const handlers: InvokeHandlers = {
      ...handlersWithEmitter().handlers,
      'sync:cancel': async () => {
        throw new EngineError('Not connected to ops@h:22', {
          hint: 'reconnect (the button at the top of the page)',
          code: 'not-connected',
        })
      },
    }
    expect(await dispatchInvoke(handlers, 'sync:cancel', undefined)).toEqual({
      ok: false,
      error: {
        code: 'handler-failed',
        channel: 'sync:cancel',
        message: 'Not connected to ops@h:22',
        hint: 'reconnect (the button at the top of the page)',
        errorCode: 'not-connected',
      },
    })
  })

  it('passes only the fields the contract names back to the page', async () => {
    const leaky = {
      text: 'hi',
      fileName: 'x.sh',
      privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----',
    }
    const handlers: InvokeHandlers = {
      ...handlersWithEmitter().handlers,
      'export:script': async () => leaky,
    }
    expect(await dispatchInvoke(handlers, 'export:script', undefined)).toEqual({
      ok: true,
      value: { text: 'hi', fileName: 'x.sh' },
    })
  })

  it('refuses a response that breaks the contract', async () => {
    const handlers = {
      ...handlersWithEmitter().handlers,
      'app:version': async () => 7,
    } as unknown as InvokeHandlers
    expect(await dispatchInvoke(handlers, 'app:version', undefined)).toMatchObject({
      ok: false,
      error: { code: 'invalid-response' },
    })
  })
})

describe('isAppPageUrl', () => {
  const location = {
    pageUrl: 'app://pip-mirror-wizard/index.html',
    devServerUrl: 'http://localhost:5173/',
  }

  it('accepts the built page, whatever its route', () => {
    expect(isAppPageUrl(`${location.pageUrl}#/serve`, location)).toBe(true)
    expect(isAppPageUrl(location.pageUrl, location)).toBe(true)
  })

  it('accepts the dev server, and only its origin', () => {
    expect(isAppPageUrl('http://localhost:5173/#/connect', location)).toBe(true)
    expect(isAppPageUrl('http://localhost:5174/', location)).toBe(false)
    expect(isAppPageUrl('http://evil.example/', location)).toBe(false)
  })

  it('refuses other files, other schemes and garbage', () => {
    expect(isAppPageUrl('file:///tmp/index.html', location)).toBe(false)
    expect(
      isAppPageUrl(
        'file:///opt/Pip%20Mirror%20Wizard/resources/app.asar/out/renderer/index.html',
        location,
      ),
    ).toBe(false)
    expect(isAppPageUrl('app://pip-mirror-wizard/other.html', location)).toBe(false)
    expect(isAppPageUrl('app://elsewhere/index.html', location)).toBe(false)
    expect(isAppPageUrl('data:text/html,<script>1</script>', location)).toBe(false)
    expect(isAppPageUrl('about:blank', location)).toBe(false)
    expect(isAppPageUrl('not a url', location)).toBe(false)
  })

  it('refuses http pages when there is no dev server', () => {
    const packaged = { pageUrl: location.pageUrl }
    expect(isAppPageUrl('http://localhost:5173/', packaged)).toBe(false)
  })
})
