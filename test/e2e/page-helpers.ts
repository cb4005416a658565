import type { Locator } from 'playwright-core'
import { expect } from 'vitest'
import type { OpenedApp } from './harness'

/**
 * The few ways the e2e tests find things on the app's page. `app` is read on each call: the
 * tests open (and reopen) the app in their hooks.
 */
export function pageHelpers(app: () => OpenedApp, defaultTimeout = 60_000) {
  const byTestId = (id: string): Locator => app().page.getByTestId(id)
  const inputOf = (id: string): Locator => byTestId(id).locator('input, textarea').first()
  const heading = (): Promise<string | null> => app().page.locator('main h1').textContent()
  const text = async (id: string): Promise<string> =>
    ((await byTestId(id).textContent()) ?? '').trim()
  async function visible(locator: Locator, timeout = defaultTimeout): Promise<void> {
    await locator.first().waitFor({ state: 'visible', timeout })
  }
  /** Continues to the next wizard page and waits for its title. */
  async function goOn(title: string): Promise<void> {
    await byTestId('continue').click()
    await expect.poll(heading).toBe(title)
  }
  /** Fills the Choose packages page (a plain-HTTP upstream: the stand-in) and asks to resolve. */
  async function resolvePackages(form: {
    requirements: string
    directory: string
    upstream: string
    /** The HTTP proxy the host reaches the upstream and PyPI through. */
    proxy?: string
  }): Promise<void> {
    await inputOf('requirements').fill(form.requirements)
    await app().page.getByText('Where the mirror lives and where packages come from').click()
    await inputOf('directory').fill(form.directory)
    await inputOf('upstream').fill(form.upstream)
    if (form.proxy) await inputOf('upstream-proxy').fill(form.proxy)
    await byTestId('allow-http').click()
    await byTestId('resolve').click()
  }
  /**
   * Waits for the closure, or, on a host without the resolver, for its installation plan:
   * `whenInstallShown` looks at the plan, then the installation is confirmed.
   */
  async function awaitClosure(
    timeout: number,
    whenInstallShown: () => Promise<void> = async () => undefined,
  ): Promise<void> {
    const closure = byTestId('closure')
    const install = byTestId('install-and-resolve')
    await Promise.race([visible(closure, timeout), visible(install, timeout)])
    if (await install.isVisible()) {
      await whenInstallShown()
      await install.click()
    }
    await visible(closure, timeout)
  }
  return { byTestId, inputOf, heading, text, visible, goOn, resolvePackages, awaitClosure }
}
