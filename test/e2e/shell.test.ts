import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, type OpenedApp } from './harness'
import type { PageGlobals } from './page-globals'

const STEPS = [
  { id: 'connect', title: 'Connect' },
  { id: 'check-host', title: 'Check the host' },
  { id: 'packages', title: 'Choose packages' },
  { id: 'mirror', title: 'Mirror' },
  { id: 'serve', title: 'Serve' },
  { id: 'verify', title: 'Verify & repair' },
  { id: 'workers', title: 'Workers' },
  { id: 'done', title: 'Done' },
]

describe('the app shell in Chromium', () => {
  let app: OpenedApp

  beforeAll(async () => {
    app = await openApp({ deps: { appVersion: '9.8.7-e2e' } })
  })

  afterAll(async () => {
    await app?.close()
  })

  it('opens on the start screen; a new site opens the wizard with all eight steps, in order', async () => {
    await expect.poll(() => app.page.locator('main h1').textContent()).toBe('Your mirrors')
    await app.page.getByTestId('new-site').click()
    await expect.poll(() => app.page.locator('main h1').textContent()).toBe('Connect')
    const links = app.page.getByRole('navigation', { name: 'Wizard steps' }).getByRole('link')
    await expect.poll(() => links.count()).toBe(8)
    const titles = await links.locator('.step-map__title').allTextContents()
    expect(titles).toEqual(STEPS.map((step) => step.title))
  })

  it('reads the app version through the bridge', async () => {
    await expect.poll(() => app.page.getByTestId('app-version').textContent()).toBe('v9.8.7-e2e')
  })

  it('exposes one frozen bridge object with invoke and on', async () => {
    const shape = await app.page.evaluate(() => {
      const { pipMirror } = globalThis as unknown as PageGlobals
      return { keys: Object.keys(pipMirror ?? {}).sort(), frozen: Object.isFrozen(pipMirror) }
    })
    expect(shape).toEqual({ keys: ['invoke', 'on'], frozen: true })
  })

  it('answers through the handlers, and delivers their event before the answer', async () => {
    const outcome = await app.page.evaluate(async () => {
      const { pipMirror } = globalThis as unknown as PageGlobals
      if (!pipMirror) throw new Error('no bridge')
      const events: unknown[] = []
      const stop = pipMirror.on('session:event', (event) => events.push(event))
      const result = await pipMirror.invoke('host:disconnect')
      const eventsBeforeAnswer = events.length
      stop()
      return { result, events, eventsBeforeAnswer }
    })
    const connection = { state: 'disconnected', label: null, hostKey: null, hasSecrets: false }
    expect(outcome.result).toEqual({ ok: true, value: connection })
    expect(outcome.eventsBeforeAnswer).toBe(1)
    expect(outcome.events).toEqual([{ kind: 'connection', connection }])
  })

  it('refuses requests the contract does not allow', async () => {
    const results = await app.page.evaluate(async () => {
      const { pipMirror } = globalThis as unknown as PageGlobals
      if (!pipMirror) throw new Error('no bridge')
      // Deliberately off-contract calls, as a compromised page might make.
      const looseInvoke = pipMirror.invoke as (
        channel: string,
        request?: unknown,
      ) => Promise<unknown>
      return {
        wrongType: await looseInvoke('clipboard:write-text', { text: 42 }),
        extraField: await looseInvoke('clipboard:write-text', { text: 'x', command: 'rm -rf /' }),
        unknownChannel: await looseInvoke('engine:shell', { command: 'id' }),
      }
    })
    expect(results.wrongType).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
    expect(results.extraField).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
    expect(results.unknownChannel).toMatchObject({ ok: false, error: { code: 'unknown-channel' } })
  })

  it('delivers events emitted on the main side to the listeners', async () => {
    await app.page.evaluate(() => {
      const page = globalThis as unknown as PageGlobals
      const received: unknown[] = []
      page.receivedEvents = received
      page.pipMirror?.on('session:event', (event) => received.push(event))
    })
    const event = {
      kind: 'connection',
      connection: { state: 'disconnected', label: null, hostKey: null, hasSecrets: false },
    } as const
    app.emit('session:event', event)
    await expect
      .poll(() => app.page.evaluate(() => (globalThis as unknown as PageGlobals).receivedEvents))
      .toEqual([event])
  })

  it('moves through every step when its link is clicked', async () => {
    const nav = app.page.getByRole('navigation', { name: 'Wizard steps' })
    for (const [index, step] of STEPS.entries()) {
      await nav.getByRole('link', { name: step.title }).click()
      await expect.poll(() => app.page.locator('main h1').textContent()).toBe(step.title)
      expect(app.page.url()).toContain(`#/${step.id}`)
      expect(await nav.locator('[aria-current="step"]').getAttribute('data-step')).toBe(step.id)
      // A fresh session: every page after Connect says which step must come first.
      const needsEarlierStep = !['connect', 'done'].includes(step.id)
      expect(await app.page.getByTestId('needs-step').count()).toBe(needsEarlierStep ? 1 : 0)
      await app.screenshot(`step-${index + 1}-${step.id}`)
    }
  })

  it('loads under its Content-Security-Policy without console errors', () => {
    expect(app.problems).toEqual([])
  })

  it('enforces the Content-Security-Policy in the page', async () => {
    const probe = await app.page.evaluate(async () => {
      const page = globalThis as unknown as PageGlobals
      const violations: string[] = []
      page.document.addEventListener('securitypolicyviolation', (event) =>
        violations.push(event.effectiveDirective),
      )
      const inline = page.document.createElement('script')
      inline.textContent = 'globalThis.inlineScriptRan = true'
      page.document.head.append(inline)
      await new Promise((resolve) => setTimeout(resolve, 100))
      return { inlineScriptRan: page.inlineScriptRan === true, violations }
    })
    expect(probe.inlineScriptRan).toBe(false)
    expect(probe.violations).toContain('script-src-elem')
  })
})
