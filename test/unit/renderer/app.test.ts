import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryHistory } from 'vue-router'
import App from '@/App.vue'
import { createAppRouter } from '@/router'
import { WIZARD_STEPS } from '@/steps'
import { useWizardStore } from '@/stores/wizard'
import { fakeBridge, snapshot } from './fake-bridge'

async function mountApp(path = '/') {
  const pinia = createPinia()
  const router = createAppRouter(createMemoryHistory())
  await router.push(path)
  await router.isReady()
  const wrapper = mount(App, { global: { plugins: [pinia, router] } })
  await flushPromises()
  return { wrapper, router, wizard: useWizardStore(pinia) }
}

afterEach(() => {
  delete window.pipMirror
})

describe('App', () => {
  it('starts on the list of sites, with the places in the side navigation', async () => {
    const { wrapper, router } = await mountApp()
    expect(router.currentRoute.value.name).toBe('sites')
    expect(wrapper.find('main h1').text()).toBe('Your mirrors')
    expect(wrapper.find('[data-testid="nav-sites"]').classes()).toContain('is-current')
    expect(wrapper.find('[data-testid="nav-history"]').exists()).toBe(true)
    // The wizard's step map belongs to the wizard's pages.
    expect(wrapper.find('.step-map').exists()).toBe(false)
  })

  it('lists the eight wizard steps in order', async () => {
    const { wrapper } = await mountApp('/connect')
    const titles = wrapper.findAll('.step-map__title').map((title) => title.text())
    expect(titles).toEqual([
      'Connect',
      'Check the host',
      'Choose packages',
      'Mirror',
      'Serve',
      'Verify & repair',
      'Workers',
      'Done',
    ])
  })

  it('opens a new site on the first step', async () => {
    const { wrapper, wizard } = await mountApp('/connect')
    expect(wizard.currentStepId).toBe('connect')
    expect(wrapper.find('main h1').text()).toBe('Connect')
    expect(wrapper.find('[aria-current="step"]').attributes('data-step')).toBe('connect')
  })

  it('moves the current step when a step is clicked', async () => {
    const { wrapper, router, wizard } = await mountApp('/connect')
    for (const step of WIZARD_STEPS) {
      await wrapper.find(`.step-map__link[data-step="${step.id}"]`).trigger('click')
      await flushPromises()
      expect(router.currentRoute.value.path).toBe(`/${step.id}`)
      expect(wizard.currentStepId).toBe(step.id)
      expect(wizard.currentStep.title).toBe(step.title)
      expect(wrapper.find('main h1').text()).toBe(step.title)
      expect(wrapper.find('.step-map__link.is-current').attributes('data-step')).toBe(step.id)
    }
  })

  it('sends unknown routes to the list of sites', async () => {
    const { router } = await mountApp('/no-such-step')
    expect(router.currentRoute.value.name).toBe('sites')
  })

  it('shows the version the main process reports', async () => {
    const fake = fakeBridge({
      'app:version': () => '4.5.6',
      'session:restore': () => snapshot(),
      'wizard:save-progress': (progress) => progress,
    })
    window.pipMirror = fake.bridge
    const { wrapper } = await mountApp()
    expect(fake.calls.map((call) => call.channel)).toContain('app:version')
    expect(wrapper.find('[data-testid="app-version"]').text()).toBe('v4.5.6')
  })

  it('goes back to a run the app was closed during, and saves every move', async () => {
    const fake = fakeBridge({
      'app:version': () => '1.0.0',
      'sites:list': () => ({ sites: [], drafts: [], broken: [] }),
      'session:restore': () =>
        snapshot({
          wizard: { step: 'mirror', completed: ['connect'] },
          connection: { state: 'connected', label: 'ops@h:22', hostKey: null, hasSecrets: false },
          interruptedRun: {
            runId: 'r1',
            stage: 'mirror',
            mode: 'apply',
            startedAt: '2025-01-01T00:00:00Z',
          },
        }),
      'wizard:save-progress': ({ step, completed }) => ({ step, completed }),
    })
    window.pipMirror = fake.bridge
    const { router, wizard, wrapper } = await mountApp()
    await flushPromises()
    expect(router.currentRoute.value.path).toBe('/mirror')
    expect(wizard.currentStepId).toBe('mirror')
    expect(wrapper.find('[data-testid="connection-bar"]').text()).toContain('Connected to')
    await router.push('/serve')
    await flushPromises()
    expect(fake.calls).toContainEqual({
      channel: 'wizard:save-progress',
      request: { step: 'serve', completed: [] },
    })
  })
})
