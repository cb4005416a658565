import { describe, expect, it } from 'vitest'
import { BridgeError } from '@/api'
import { toErrorView } from '@/errors'

describe('errors on the page', () => {
  it('shows what the engine said to do when a request failed in main', () => {
    const failure = new BridgeError({
      code: 'handler-failed',
      channel: 'sync:cancel',
      message: 'Not connected to ops@h:22',
      hint: 'reconnect (the button at the top of the page)',
    })
    expect(toErrorView(failure)).toEqual({
      message: 'Not connected to ops@h:22',
      hint: 'reconnect (the button at the top of the page)',
    })
  })

  it('says what to do itself only when main gave no hint', () => {
    const failure = new BridgeError({ code: 'invalid-request', channel: 'x', message: 'bad' })
    expect(toErrorView(failure).hint).toBe('correct the field named above and try again')
  })
})
