import { afterEach, describe, expect, it } from 'vitest'
import ConnectView from '@/views/ConnectView.vue'
import PackagesView from '@/views/PackagesView.vue'
import WorkersView from '@/views/WorkersView.vue'
import { fakeBridge } from './fake-bridge'
import { mountPage } from './mount-page'

const continueButtons = (): NodeListOf<HTMLButtonElement> =>
  document.body.querySelectorAll('[data-testid="continue"]')

afterEach(() => {
  delete window.pipMirror
  document.body.innerHTML = ''
})

describe('the way on from a wizard page', () => {
  it('is one Continue, enabled once the step is done', async () => {
    window.pipMirror = fakeBridge({}).bridge
    await mountPage(PackagesView, '/packages')
    expect(continueButtons()).toHaveLength(1)
    expect(continueButtons()[0]?.disabled).toBe(true)
  })

  it('is the page’s own where it has one (Connect, Workers)', async () => {
    window.pipMirror = fakeBridge({ 'ssh:config-hosts': () => [] }).bridge
    await mountPage(ConnectView, '/connect')
    expect(continueButtons()).toHaveLength(0)
    document.body.innerHTML = ''
    await mountPage(WorkersView, '/workers')
    expect(continueButtons()).toHaveLength(1)
    expect(continueButtons()[0]?.textContent).toContain('Skip for now')
  })
})
